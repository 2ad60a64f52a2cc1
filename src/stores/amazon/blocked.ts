/**
 * Pages that are not about the product: Amazon's captcha and robot-check interstitials, the AWS
 * WAF challenge, the 503 "dogs of Amazon" page, the 404 page, and search results. None of these
 * may ever yield a price or an availability: the product behind them is unknown.
 */
import type { Outcome } from '../types.js';

interface Rule {
  readonly outcome: Outcome;
  readonly markers: readonly string[];
}

// Specific before generic: the captcha and 503 pages both carry the automated-access comment.
const RULES: readonly Rule[] = [
  {
    outcome: 'captcha',
    markers: [
      '/errors/validateCaptcha',
      'opfcaptcha.amazon.',
      'id="captchacharacters"',
      'Robot Check</title>',
    ],
  },
  {
    outcome: 'blocked',
    markers: ['awswaf', 'AwsWafIntegration', 'gokuProps', 'challenge-container'],
  },
  {
    outcome: 'error',
    markers: ['ref=cs_503', '500_503.png', 'Service Unavailable', 'Sorry! Something went wrong'],
  },
  {
    outcome: 'not_found',
    markers: [
      'ref=cs_404',
      "Sorry! We couldn't find that page",
      'Page Not Found</title>',
      'ref=cs_404_link',
    ],
  },
  {
    outcome: 'unsupported',
    markers: ['data-component-type="s-search-result"', 's-result-list'],
  },
  {
    outcome: 'blocked',
    markers: ['api-services-support@amazon.com'],
  },
];

/** The outcome of a page that has no product anchors; null when it is none of the known kinds. */
export function classifyNonProductPage(html: string): Outcome | null {
  for (const rule of RULES) {
    if (rule.markers.some((m) => html.includes(m))) return rule.outcome;
  }
  return null;
}
