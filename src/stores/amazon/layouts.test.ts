/**
 * Small hand-made pages in Amazon's markup for what the corpus lacks: marketplaces without a
 * fixture (.fr, .it, .co.jp, .in, .com.mx, .ca), the robot check, the WAF challenge, and the
 * layout rules the early stop depends on.
 */
import { describe, expect, it } from 'vitest';
import { amazonHasEnough, extractAmazon } from './extract.js';
import { SLACK } from './page.js';

interface PageSpec {
  readonly lang: string;
  readonly suffix: string;
  readonly asin?: string;
  readonly title?: string;
  readonly price?: string;
  readonly basis?: string;
  readonly availability?: string;
  readonly seller?: string;
  readonly button?: boolean;
  /** Markup placed before the columns (carousels, ads). */
  readonly before?: string;
  /** Column order; the buy box comes first in older layouts. */
  readonly order?: ReadonlyArray<'left' | 'center' | 'right'>;
}

const FILLER = `<div class="filler">${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(1_500)}</div>`;

function productPage(s: PageSpec): string {
  const asin = s.asin ?? 'B0TESTASIN';
  const left = `<div id="leftCol"><img alt="" src="https://m.media-amazon.com/images/I/small.jpg" data-old-hires="https://m.media-amazon.com/images/I/big._SL1500_.jpg" id="landingImage"></div>`;
  const center = `<div id="centerCol"><h1><span id="productTitle" class="a-size-large"> ${s.title ?? 'A product'} </span></h1>
    <div id="corePriceDisplay_desktop_feature_div"><div class="a-section">
    ${s.price ? `<span class="a-price priceToPay" data-a-size="xl"><span class="a-offscreen">${s.price}</span><span aria-hidden="true">${s.price}</span></span>` : ''}
    ${s.basis ? `<span class="a-size-small basisPrice">: <span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">${s.basis}</span></span></span>` : ''}
    </div></div><div id="heroQuickPromo_feature_div"></div></div>`;
  const right = `<div id="rightCol"><div id="buybox">
    <div id="availability" class="a-section"><span class="a-size-medium a-color-success"> ${s.availability ?? ''} </span></div>
    ${s.seller ? `<div id="merchant-info" class="a-section">${s.seller}</div>` : ''}
    ${s.button === false ? '' : '<span id="submit.add-to-cart" class="a-button a-button-primary"><input id="add-to-cart-button" type="submit" title="Add"></span>'}
    </div></div>`;
  const cols = { left, center, right };
  const order = s.order ?? ['right', 'left', 'center'];
  return `<!doctype html><html lang="${s.lang}"><head><title>x</title>
    <link rel="canonical" href="https://www.amazon.${s.suffix}/Some-Slug/dp/${asin}" /></head><body>
    ${s.before ?? ''}<div id="dp-container"><div id="ppd">${order.map((c) => cols[c]).join('\n')}</div>
    <div id="productDescription_feature_div"><p>Description</p></div>${FILLER}
    <div id="customerReviews"></div>${FILLER}<div id="navFooter"></div></body></html>`;
}

describe('marketplaces without a fixture', () => {
  it('amazon.fr: French number format, "En stock", "Expédié et vendu par Amazon"', () => {
    const obs = extractAmazon(
      productPage({
        lang: 'fr-fr',
        suffix: 'fr',
        title: 'Bouilloire &eacute;lectrique',
        price: '1\u202f299,00\u00a0€',
        basis: '1\u202f499,00\u00a0€',
        availability: 'En stock',
        seller: 'Expédié et vendu par Amazon.',
      }),
    );
    expect(obs).toMatchObject({
      outcome: 'ok',
      marketplace: 'amazon.fr',
      productId: 'B0TESTASIN',
      title: 'Bouilloire électrique',
      imageUrl: 'https://m.media-amazon.com/images/I/big._SL1500_.jpg',
      price: { minor: 129900, currency: 'EUR' },
      listPrice: { minor: 149900, currency: 'EUR' },
      availability: 'in_stock',
      soldByStore: true,
    });
  });

  it('amazon.it: out of stock in Italian, no price invented', () => {
    const obs = extractAmazon(
      productPage({
        lang: 'it-it',
        suffix: 'it',
        availability: 'Attualmente non disponibile.',
        button: false,
      }),
    );
    expect(obs).toMatchObject({
      marketplace: 'amazon.it',
      price: null,
      availability: 'out_of_stock',
    });
  });

  it('amazon.co.jp: full-width yen, third-party seller link', () => {
    const obs = extractAmazon(
      productPage({
        lang: 'ja-jp',
        suffix: 'co.jp',
        price: '￥1,280',
        availability: '在庫あり。',
        seller: `販売元: <a href='/gp/help/seller/at-a-glance.html?seller=A1B2C3D4E5F6G7' id='sellerProfileTriggerId'>某店舗</a>`,
      }),
    );
    expect(obs).toMatchObject({
      marketplace: 'amazon.co.jp',
      price: { minor: 1280, currency: 'JPY' },
      availability: 'in_stock',
      soldByStore: false,
    });
  });

  it('amazon.in: rupees with M.R.P. strike price', () => {
    const obs = extractAmazon(
      productPage({
        lang: 'en-in',
        suffix: 'in',
        price: '₹1,299.00',
        basis: '₹1,999.00',
        availability: 'In stock',
      }),
    );
    expect(obs).toMatchObject({
      marketplace: 'amazon.in',
      price: { minor: 129900, currency: 'INR' },
      listPrice: { minor: 199900, currency: 'INR' },
      availability: 'in_stock',
    });
  });

  it('amazon.com.mx and amazon.ca: the marketplace decides what "$" means', () => {
    const mx = extractAmazon(
      productPage({
        lang: 'es-mx',
        suffix: 'com.mx',
        price: '$1,299.00',
        availability: 'Disponible.',
      }),
    );
    expect(mx).toMatchObject({
      marketplace: 'amazon.com.mx',
      price: { minor: 129900, currency: 'MXN' },
      availability: 'in_stock',
    });
    const ca = extractAmazon(
      productPage({ lang: 'en-ca', suffix: 'ca', price: '$24.99', availability: 'In Stock' }),
    );
    expect(ca).toMatchObject({ marketplace: 'amazon.ca', price: { minor: 2499, currency: 'CAD' } });
  });

  it('a list price at or below the price is not a list price', () => {
    const obs = extractAmazon(
      productPage({ lang: 'en-us', suffix: 'com', price: '$20.00', basis: '$19.00' }),
    );
    expect(obs.price).toEqual({ minor: 2000, currency: 'USD' });
    expect(obs.listPrice).toBeNull();
  });

  it('an unrecognised availability line next to a price and a buy button is in stock', () => {
    const obs = extractAmazon(
      productPage({
        lang: 'en-us',
        suffix: 'com',
        price: '$5.00',
        availability: 'Arrives before Christmas',
      }),
    );
    expect(obs.availability).toBe('in_stock');
  });
});

describe('the mobile site', () => {
  // The mobile product page (/gp/aw/d/…) has no desktop columns: a title span, the image, and
  // the mobile copy of the core price block, here with a struck list price and a sponsored
  // carousel priced lower before it.
  const mobilePage = (block: string) => `<!doctype html><html lang="en-gb"><head>
    <link rel="canonical" href="https://www.amazon.co.uk/Portable-Bidet/dp/B0MOBILE01" /></head><body>
    <div id="sp_phone_detail_B0OTHER01"><span class="a-price"><span class="a-offscreen">£43.99</span></span></div>
    <span id="title" class="a-size-small">Portable Bidet</span>
    <img id="main-image" src="https://m.media-amazon.com/images/I/phone.jpg">
    <div id="${block}"><div class="a-section">
      <span class="a-price aok-align-center reinventPricePriceToPayMargin priceToPay"><span class="a-offscreen">£48.99</span><span aria-hidden="true"><span class="a-price-symbol">£</span><span class="a-price-whole">48<span class="a-price-decimal">.</span></span><span class="a-price-fraction">99</span></span></span>
      <span class="a-size-small basisPrice">RRP: <span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">£59.99</span></span></span>
    </div></div>
    <div id="availability"><span class="a-size-base a-color-success">In stock</span></div>
    <input id="add-to-cart-button" type="submit"></body></html>`;

  for (const block of ['corePriceDisplay_mobile_feature_div', 'corePrice_mobile_feature_div']) {
    it(`reads #${block} as the core price block`, () => {
      const obs = extractAmazon(mobilePage(block));
      expect(obs).toMatchObject({
        outcome: 'ok',
        marketplace: 'amazon.co.uk',
        productId: 'B0MOBILE01',
        title: 'Portable Bidet',
        price: { minor: 4899, currency: 'GBP' },
        listPrice: { minor: 5999, currency: 'GBP' },
        availability: 'in_stock',
      });
    });
  }
});

describe('pages that are not the product', () => {
  it('the robot check is a captcha', () => {
    const html = `<html><head><title dir="ltr">Robot Check</title></head><body>
      <form method="get" action="/errors/validateCaptcha"><input type="text" id="captchacharacters" name="field-keywords"></form>
      <a href="https://www.amazon.co.uk/gp/help/customer/display.html">Conditions</a></body></html>`;
    expect(extractAmazon(html)).toMatchObject({
      outcome: 'captcha',
      price: null,
      availability: 'unknown',
    });
  });

  it('the AWS WAF challenge is blocked', () => {
    const html = `<html><head><script>window.gokuProps = {"key":"x"};</script>
      <script src="https://a.b.awswaf.com/challenge.js"></script></head><body><div id="challenge-container"></div></body></html>`;
    expect(extractAmazon(html, { url: 'https://www.amazon.de/dp/B07C76F3P2' })).toMatchObject({
      outcome: 'blocked',
      marketplace: 'amazon.de',
      price: null,
      availability: 'unknown',
    });
  });

  it('a bare automated-access notice is blocked', () => {
    const html =
      '<!-- To discuss automated access to Amazon data please contact api-services-support@amazon.com. --><html><body>No.</body></html>';
    expect(extractAmazon(html).outcome).toBe('blocked');
  });
});

describe('horizon and early stop', () => {
  it('stops only after all three columns and a below-the-fold section, plus the slack', () => {
    const html = productPage({
      lang: 'en-us',
      suffix: 'com',
      price: '$5.00',
      availability: 'In Stock',
    });
    // Buy box and images first, centre column last: its closing promo is the first section after
    // all three columns have opened.
    const horizon = html.indexOf('id="heroQuickPromo_feature_div"');
    expect(amazonHasEnough(html.slice(0, horizon + SLACK - 1))).toBe(false);
    expect(amazonHasEnough(html.slice(0, horizon + SLACK))).toBe(true);
    expect(extractAmazon(html.slice(0, horizon + SLACK))).toEqual(extractAmazon(html));
  });

  it('ignores a below-the-fold marker that closes the centre column before the buy box opens', () => {
    // Centre column first: its end-of-column promo comes before the buy box and must not cut it.
    const html = productPage({
      lang: 'en-us',
      suffix: 'com',
      price: '$5.00',
      availability: 'Currently unavailable.',
      order: ['left', 'center', 'right'],
    });
    const obs = extractAmazon(html);
    expect(obs.availability).toBe('out_of_stock');
    const buyBox = html.indexOf('id="rightCol"');
    expect(amazonHasEnough(html.slice(0, buyBox + SLACK))).toBe(false);
  });

  it('never stops early on a page without the three columns', () => {
    const html = `<html><body><span id="productTitle">x</span>${FILLER}<div id="customerReviews"></div>${FILLER}</body></html>`;
    expect(amazonHasEnough(html)).toBe(false);
    expect(extractAmazon(html).title).toBe('x');
  });

  it('sponsored prices above the columns are never the price', () => {
    const ad = `<div class="sponsored"><span class="a-color-price">$1.00</span><span class="a-price"><span class="a-offscreen">$2.00</span></span></div>`;
    const obs = extractAmazon(
      productPage({ lang: 'en-us', suffix: 'com', before: ad, availability: 'In Stock' }),
    );
    expect(obs.price).toBeNull();
  });
});
