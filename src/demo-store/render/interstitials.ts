/**
 * The pages Amazon serves instead of a product: the robot check, the 503 "dogs" page, throttling
 * and not-found. Same structure as the real ones (that is what blocked-page detection keys on),
 * our own wording where it does not matter.
 */
import type { DemoMarketplace } from '../marketplaces.js';
import { esc } from './html.js';

const AUTOMATED_ACCESS_COMMENT = `<!--
        To discuss automated access to Amazon data please contact api-services-support@amazon.com.
        For information about migrating to our APIs refer to our Marketplace APIs at https://developer.amazonservices.com/ref=rm_c_sv, or our Product Advertising API at https://affiliate-program.amazon.com/gp/advertising/api/detail/main.html/ref=rm_c_ac for advertising use cases.
-->`;

/** The "Click the button below to continue shopping" robot check (served with status 200). */
export function captchaPage(mp: DemoMarketplace, returnPath: string, token: string): string {
  return `
<!DOCTYPE html>
<!--[if lt IE 7]> <html lang="${mp.htmlLang}" class="a-no-js a-lt-ie9 a-lt-ie8 a-lt-ie7"> <![endif]-->
<!--[if gt IE 8]><!-->
<html class="a-no-js" lang="${mp.htmlLang}"><!--<![endif]--><head>
<meta http-equiv="content-type" content="text/html; charset=UTF-8">
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<title dir="ltr">${esc(mp.storeName)}</title>
<meta name="viewport" content="width=device-width">
<script>
if (true === true) {
    var ue_t0 = (+ new Date()),
        ue_csm = window,
        ue = { t0: ue_t0, d: function() { return (+new Date() - ue_t0); } },
        ue_sn = "opfcaptcha.amazon.${mp.code}",
        ue_id = '${esc(token)}';
}
</script>
</head>
<body>

${AUTOMATED_ACCESS_COMMENT}

<div class="a-container a-padding-double-large" style="min-width:350px;padding:44px 0 !important">
    <div class="a-row a-spacing-double-large" style="width: 350px; margin: 0 auto">
        <div class="a-row a-spacing-medium a-text-center"><i class="a-icon a-logo" alt="${esc(mp.storeName)} logo"></i></div>
        <div class="a-box a-alert a-alert-info a-spacing-base">
            <div class="a-box-inner">
                <i class="a-icon a-icon-alert" alt="Alert icon"></i>
                <h4>Click the button below to continue shopping</h4>
            </div>
        </div>
        <div class="a-section">
            <div class="a-box a-color-offset-background">
                <div class="a-box-inner a-padding-extra-large">
                    <form method="get" action="/errors/validateCaptcha" name="">
                        <input type=hidden name="amzn" value="${esc(token)}" /><input type=hidden name="amzn-r" value="${esc(returnPath)}" />
                        <input type=hidden name="field-keywords" value="${esc(token.slice(0, 6))}" />
                        <div class="a-section a-spacing-extra-large">
                            <div class="a-row">
                                <span class="a-button a-button-primary a-span12">
                                    <span class="a-button-inner">
                                        <button type="submit" class="a-button-text" alt="Continue shopping">Continue shopping</button>
                                    </span>
                                </span>
                            </div>
                        </div>
                    </form>
                </div>
            </div>
        </div>
    </div>
    <div class="a-divider a-divider-section"><div class="a-divider-inner"></div></div>
    <div class="a-text-center a-spacing-small a-size-mini">
        <a href="/gp/help/customer/display.html/ref=footer_cou?ie=UTF8&nodeId=508088">Conditions of Use</a>
        <span class="a-letter-space"></span>
        <a href="/gp/help/customer/display.html/ref=footer_privacy?ie=UTF8&nodeId=468496">Privacy Policy</a>
    </div>
    <div class="a-text-center a-size-mini a-color-base">Pricehawk demo store: simulated robot check.</div>
</div>
</body></html>
`;
}

const ERROR_STYLE = `<style>
  html, body { padding: 0; margin: 0 }
  img { border: 0 }
  #a { background: #232f3e; padding: 11px 11px 11px 192px }
  #b { position: absolute; left: 22px; top: 12px }
  #c { position: relative; max-width: 800px; padding: 0 40px 0 0 }
  #e, #f { height: 35px; border: 0; font-size: 1em }
  #e { width: 100%; margin: 0; padding: 0 10px; border-radius: 4px 0 0 4px }
  #f { cursor: pointer; background: #febd69; font-weight: bold; border-radius: 0 4px 4px 0; position: absolute; top: 0; right: 0; padding: 0 12px }
  #g { text-align: center; margin: 30px 0 }
  #g img { max-width: 90% }
  #d { display: none }
  #d[src] { display: inline }
</style>`;

function dogsPage(title: string, ref: string, alt: string): string {
  return `${AUTOMATED_ACCESS_COMMENT.replace(/rm_c_/g, `rm_${ref}_`)}
<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <meta http-equiv="x-ua-compatible" content="ie=edge">
  <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
  <title>${esc(title)}</title>
  ${ERROR_STYLE}
</head>
<body>
    <a href="/ref=cs_${ref}_logo"><img id="b" src="/images/logo.svg" alt="Pricehawk demo store"></a>
    <form id="a" accept-charset="utf-8" action="/s" method="GET" role="search">
        <div id="c">
            <input id="e" name="field-keywords" placeholder="Search">
            <input name="ref" type="hidden" value="cs_${ref}_search">
            <input id="f" type="submit" value="Go">
        </div>
    </form>
<div id="g">
  <div><a href="/ref=cs_${ref}_link"><img src="/images/${ref}.svg" alt="${esc(alt)}"></a></div>
  <a href="/dogsofamazon/ref=cs_${ref}_d" target="_blank" rel="noopener noreferrer"><img id="d" alt="Dogs of Amazon"></a>
  <script>document.getElementById("d").src = "/images/dog-" + (Math.floor(Math.random() * 43) + 1) + ".svg";</script>
</div>
</body>
</html>
`;
}

/** The 503 "Sorry! Something went wrong!" page. */
export function errorPage(): string {
  return dogsPage(
    'Sorry! Something went wrong!',
    '503',
    "Sorry! Something went wrong on our end. Please go back and try again or go to the store's home page.",
  );
}

export function notFoundPage(): string {
  return dogsPage(
    'Page Not Found',
    '404',
    "Sorry! We couldn't find that page. Try searching or go to the store's home page.",
  );
}

/** Throttling: a short page, sent with 429 and Retry-After. */
export function rateLimitPage(retryAfterSeconds: number): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Too Many Requests</title></head>
<body><h1>Too Many Requests</h1><p>Request was throttled. Please retry after ${retryAfterSeconds} seconds.</p></body></html>
`;
}
