import { describe, expect, it } from 'vitest';
import { PaapiConfig, paapiEnvShape } from './config.js';
import { PAAPI_LOCALES } from './locales.js';

const keys = {
  PAAPI_ACCESS_KEY: 'AKIAIOSFODNN7EXAMPLE',
  PAAPI_SECRET_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

function issues(env: Record<string, string>): Array<{ name: string; message: string }> {
  const r = PaapiConfig.safeParse(env);
  return r.success
    ? []
    : r.error.issues.map((i) => ({ name: String(i.path[0]), message: i.message }));
}

describe('PaapiConfig', () => {
  it('is off when nothing is set', () => {
    expect(PaapiConfig.parse({})).toBeNull();
  });

  it('with one tag, covers every PA-API marketplace unless told otherwise', () => {
    expect(PaapiConfig.parse({ ...keys, PAAPI_PARTNER_TAG: 'pricehawk-21' })).toEqual({
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      partnerTag: 'pricehawk-21',
      marketplaces: PAAPI_LOCALES.map((l) => l.marketplaceId),
    });
    expect(
      PaapiConfig.parse({
        ...keys,
        PAAPI_PARTNER_TAG: 'pricehawk-21',
        PAAPI_MARKETPLACES: 'amazon.de, Amazon.FR,amazon.de',
      })?.marketplaces,
    ).toEqual(['amazon.de', 'amazon.fr']);
  });

  it('takes one tag per marketplace, and those marketplaces by default', () => {
    expect(
      PaapiConfig.parse({ ...keys, PAAPI_PARTNER_TAG: 'amazon.de=ph-21, amazon.com=ph-20' }),
    ).toMatchObject({
      partnerTag: { 'amazon.de': 'ph-21', 'amazon.com': 'ph-20' },
      marketplaces: ['amazon.de', 'amazon.com'],
    });
  });

  it('names the variable that is wrong', () => {
    expect(issues({ PAAPI_ACCESS_KEY: keys.PAAPI_ACCESS_KEY })).toEqual([
      { name: 'PAAPI_SECRET_KEY', message: expect.stringContaining('together') },
      { name: 'PAAPI_PARTNER_TAG', message: expect.stringContaining('together') },
    ]);
    expect(issues({ ...keys, PAAPI_PARTNER_TAG: 'has space' })[0]?.name).toBe('PAAPI_PARTNER_TAG');
    expect(issues({ ...keys, PAAPI_PARTNER_TAG: 'amazon.zz=ph-21' })[0]?.name).toBe(
      'PAAPI_PARTNER_TAG',
    );
    expect(
      issues({ ...keys, PAAPI_PARTNER_TAG: 'ph-21', PAAPI_MARKETPLACES: 'amazon.de,amazon.ie' })[0],
    ).toEqual({ name: 'PAAPI_MARKETPLACES', message: expect.stringContaining('not: amazon.ie') });
    expect(
      issues({
        ...keys,
        PAAPI_PARTNER_TAG: 'amazon.de=ph-21',
        PAAPI_MARKETPLACES: 'amazon.de,amazon.fr',
      })[0],
    ).toEqual({ name: 'PAAPI_PARTNER_TAG', message: expect.stringContaining('amazon.fr') });
    expect(issues({ PAAPI_MARKETPLACES: 'amazon.de' })[0]?.name).toBe('PAAPI_MARKETPLACES');
    expect(
      issues({ ...keys, PAAPI_ACCESS_KEY: 'short', PAAPI_PARTNER_TAG: 'ph-21' })[0]?.name,
    ).toBe('PAAPI_ACCESS_KEY');
  });

  it('exposes its fields for config.ts to spread into its schema', () => {
    expect(Object.keys(paapiEnvShape).sort()).toEqual([
      'PAAPI_ACCESS_KEY',
      'PAAPI_MARKETPLACES',
      'PAAPI_PARTNER_TAG',
      'PAAPI_SECRET_KEY',
    ]);
  });
});
