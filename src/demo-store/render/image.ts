/**
 * Product images: small SVG tiles drawn from the category (colour, shape, initial) so pages have a
 * real image to point at without shipping binary assets.
 */
import type { CatalogueItem } from '../catalogue.js';
import type { CategoryWords } from '../words.js';
import { esc } from './html.js';

const SHAPES: Readonly<Record<CategoryWords['icon'], string>> = {
  circle: '<circle cx="250" cy="220" r="110" fill="#fff" fill-opacity="0.85"/>',
  square:
    '<rect x="150" y="120" width="200" height="200" rx="24" fill="#fff" fill-opacity="0.85"/>',
  book: '<path d="M140 110h110v230H140zM250 110h110v230H250z" fill="#fff" fill-opacity="0.85" stroke="#0002" stroke-width="6"/>',
  star: '<path d="M250 95l34 88h93l-75 56 29 90-81-55-81 55 29-90-75-56h93z" fill="#fff" fill-opacity="0.85"/>',
  bolt: '<path d="M280 90L160 250h80l-30 120 130-170h-85z" fill="#fff" fill-opacity="0.85"/>',
  drop: '<path d="M250 90c60 90 100 140 100 190a100 100 0 0 1-200 0c0-50 40-100 100-190z" fill="#fff" fill-opacity="0.85"/>',
  cup: '<path d="M150 140h170v120a85 85 0 0 1-170 0zM320 170h30a40 40 0 0 1 0 80h-30" fill="#fff" fill-opacity="0.85" stroke="#fff" stroke-width="14"/>',
  wrench:
    '<path d="M320 110a70 70 0 0 0-90 90L140 290l40 40 90-90a70 70 0 0 0 90-90l-40 40-40-10-10-40z" fill="#fff" fill-opacity="0.85"/>',
};

export function productImageSvg(item: CatalogueItem): string {
  const cat = item.category;
  const initial = cat.names[0].charAt(0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500" viewBox="0 0 500 500" role="img" aria-label="${esc(item.title)}">
<rect width="500" height="500" fill="${cat.colour}"/>
${SHAPES[cat.icon]}
<text x="250" y="440" font-family="Arial, Helvetica, sans-serif" font-size="72" font-weight="bold" text-anchor="middle" fill="#fff">${esc(initial)}</text>
<text x="470" y="485" font-family="monospace" font-size="18" text-anchor="end" fill="#fff" fill-opacity="0.7">${item.asin}</text>
</svg>
`;
}

/** Neutral tile for the other images pages refer to (logo, avatars, error art). */
export function placeholderSvg(label: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><rect width="120" height="120" rx="12" fill="#232f3e"/><text x="60" y="70" font-family="Arial, sans-serif" font-size="18" text-anchor="middle" fill="#febd69">${esc(label.slice(0, 10))}</text></svg>
`;
}
