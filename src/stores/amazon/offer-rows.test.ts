/**
 * Buy boxes that offer something other than one new item at a featured price: the 2024- "no
 * featured offer" box, and the accordion rows for used and Subscribe & Save offers that the centre
 * column repeats. Hand-made pages in Amazon's current markup (right column first, as served).
 */
import { describe, expect, it } from 'vitest';
import { amazonHasEnough, extractAmazon } from './extract.js';

const URL = 'https://www.amazon.com/dp/B0TESTROWS';
const FILLER = `<div class="filler">${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(1_500)}</div>`;
const BUTTON =
  '<span id="submit.add-to-cart" class="a-button"><input id="add-to-cart-button" type="submit" title="Add to Cart"></span>';

/** The centre column's price block (`#corePriceDisplay_desktop_feature_div`). */
function centreBlock(price: string): string {
  return `<div id="corePriceDisplay_desktop_feature_div" class="celwidget"><div class="a-section a-spacing-none aok-align-center aok-relative apex-core-price-identifier">
    <span class="aok-offscreen"> ${price} </span>
    <span class="a-price aok-align-center reinventPricePriceToPayMargin priceToPay" data-a-size="xl"><span class="a-offscreen">${price}</span><span aria-hidden="true">${price}</span></span>
    </div></div>`;
}

/** The buy box's price block (`#corePrice_feature_div`). */
function boxBlock(price: string): string {
  return `<div id="apex_offerDisplay_desktop"><div id="corePrice_feature_div" class="celwidget"><div class="a-section apex-core-price-identifier"><span class="a-price aok-align-center" data-a-size="l"><span class="a-offscreen">${price}</span><span aria-hidden="true">${price}</span></span></div></div></div>`;
}

function page(centre: string, box: string): string {
  return `<!doctype html><html lang="en-us"><head><title>Amazon.com: A thing</title>
    <link rel="canonical" href="${URL}" /></head><body><div id="dp-container"><div id="ppd">
    <div id="rightCol"><div id="desktop_buybox"><div id="buybox">${box}</div></div></div>
    <div id="leftCol"><img id="landingImage" src="https://m.media-amazon.com/images/I/x.jpg" data-old-hires="https://m.media-amazon.com/images/I/x._SL1500_.jpg"></div>
    <div id="centerCol"><h1 id="title"><span id="productTitle"> A thing </span></h1><div id="apex_desktop" class="celwidget">${centre}</div></div>
    </div><div id="productDescription_feature_div"><p>Description</p></div>${FILLER}<div id="navFooter"></div></div></body></html>`;
}

/** Extracts the page whole and from the prefix a streaming fetcher stops at; both must agree. */
function extractBoth(html: string) {
  const whole = extractAmazon(html, { url: URL });
  let end = 1_000;
  while (end < html.length && !amazonHasEnough(html.slice(0, end))) end += 1_000;
  expect(extractAmazon(html.slice(0, end), { url: URL })).toEqual(whole);
  return whole;
}

describe('no featured offer', () => {
  const fodBox = (message: string) =>
    `<div id="fodcx_feature_div" class="celwidget"><div id="fod-cx-box" class="a-box a-spacing-base"><div class="a-box-inner">
      <span id="fod-cx-message-with-learn-more"><span class="a-text-bold">${message}</span> <span class="a-declarative"><a href="javascript:void(0)">Learn more</a></span></span>
      <div class="a-section a-spacing-none">${boxBlock('$49.99')}<span class="a-size-small">(12 new offers)</span></div>
    </div></div></div>
    <span id="buybox-see-all-buying-choices" class="a-button a-button-base"><a class="a-button-text" href="/gp/offer-listing/B0TESTROWS">See All Buying Options</a></span>`;

  it('the 2024 "No featured offers available" box means no price, whatever a price block shows', () => {
    const obs = extractBoth(page(centreBlock('$49.99'), fodBox('No featured offers available')));
    expect(obs).toMatchObject({
      outcome: 'ok',
      productId: 'B0TESTROWS',
      title: 'A thing',
      price: null,
      listPrice: null,
      priceRange: null,
      availability: 'unknown',
    });
  });

  it('the same message next to a buy button leaves the featured offer alone', () => {
    const box = `${fodBox('Price higher than typical')}<div id="availability"><span class="a-size-medium a-color-success">In Stock</span></div>${BUTTON}`;
    const obs = extractBoth(page(centreBlock('$49.99'), box));
    expect(obs.price).toEqual({ minor: 4999, currency: 'USD' });
    expect(obs.availability).toBe('in_stock');
  });
});

describe('accordion rows for other offers', () => {
  const usedRow = (price: string, hidden: boolean) =>
    `<div id="apex_desktop_usedAccordionRow"${hidden ? ' style="display:none;"' : ''}>${centreBlock(price)}</div>`;
  const newRow = (price: string) =>
    `<div id="apex_desktop_newAccordionRow">${centreBlock(price)}</div>`;
  const availability = (text: string) =>
    `<div id="availabilityInsideBuyBox_feature_div"><div id="availability" class="a-section"><span class="a-size-medium a-color-success primary-availability-message">${text}</span></div></div>`;

  it('a used row placed before the new row gives neither the price nor the availability', () => {
    const box = `<div id="buyBoxAccordion" class="a-accordion">
      <div id="usedAccordionRow" class="a-box-group a-accordion-row-container">${boxBlock('$8.50')}${availability('Only 1 left in stock - order soon.')}</div>
      <div id="newAccordionRow_0" class="a-box-group a-accordion-row-container a-accordion-active">${boxBlock('$13.99')}${availability('Temporarily out of stock.')}</div>
    </div>${BUTTON}`;
    const obs = extractBoth(page(usedRow('$8.50', true) + newRow('$13.99'), box));
    expect(obs.price).toEqual({ minor: 1399, currency: 'USD' });
    expect(obs.offers.used).toEqual({ minor: 850, currency: 'USD' });
    expect(obs.availability).toBe('out_of_stock');
  });

  it('a Subscribe & Save row placed first is not the price', () => {
    const box = `<div id="buyBoxAccordion" class="a-accordion">
      <div id="snsAccordionRowMiddle" class="a-accordion-active">${boxBlock('$28.96')}</div>
      <div id="newAccordionRow_0">${boxBlock('$34.07')}</div>
    </div>${availability('In Stock')}${BUTTON}`;
    const centre = `<div id="apex_desktop_snsAccordionRowMiddle">${centreBlock('$28.96')}</div>${newRow('$34.07')}`;
    const obs = extractBoth(page(centre, box));
    expect(obs.price).toEqual({ minor: 3407, currency: 'USD' });
    expect(obs.availability).toBe('in_stock');
  });

  it('a buy box with only a used offer has no price; the used offer is reported as such', () => {
    const box = `<div id="buyBoxAccordion" class="a-accordion">
      <div id="usedAccordionRow" class="a-accordion-active">${boxBlock('$8.50')}${availability('In Stock')}</div>
    </div>${BUTTON}`;
    const obs = extractBoth(page(usedRow('$8.50', false), box));
    expect(obs.price).toBeNull();
    expect(obs.offers.used).toEqual({ minor: 850, currency: 'USD' });
    expect(obs.availability).toBe('unknown');
  });
});
