/**
 * The availability line of the buy box ("In Stock.", "Derzeit nicht verfügbar.", "Em estoque.",
 * "Dieser Artikel erscheint am …"), in the languages of every marketplace. Text is the last
 * resort: the extractor first trusts structure (an out-of-stock box, a pre-order button, a buy
 * button next to a price) and only reads words when structure says nothing.
 */
import type { Availability } from '../types.js';

// Checked before IN_STOCK: "non disponibile" must not read as "disponibile", nor "niedostępny"
// as "dostępny", nor "غير متوفر" as "متوفر".
const OUT_OF_STOCK: readonly RegExp[] = [
  // en ("not in stock" must not read as "in stock")
  /currently unavailable|out of stock|not (?:currently )?in stock|not available|unavailable|no longer available|sold out/,
  // de
  /derzeit nicht verfügbar|nicht (auf lager|verfügbar|vorrätig|lieferbar)|ausverkauft/,
  // fr
  /actuellement indisponible|indisponible|rupture de stock|épuisé/,
  // it
  /attualmente non disponibile|non disponibile|esaurito/,
  // es
  /no disponible|sin stock|agotado|no está disponible/,
  // pt
  /não disponível|indisponível|fora de estoque|sem estoque|esgotado/,
  // nl
  /niet (beschikbaar|verkrijgbaar|op voorraad|leverbaar)|uitverkocht/,
  // sv
  /inte tillgänglig|ej tillgänglig|tillfälligt slut|slutsåld|ej i lager|finns inte i lager/,
  // pl
  /niedostępny|brak w magazynie|wyprzedany/,
  // tr
  /mevcut değil|stokta yok|tükendi/,
  // ja
  /在庫切れ|現在お取り扱いできません|取り扱いできません|販売終了/,
  // ar
  /غير متوفر|غير متاح|نفدت/,
];

const PRE_ORDER: readonly RegExp[] = [
  /pre-?order|will be released|available for pre|release date/,
  /vorbestell|erscheint am|erscheinungstermin/,
  /précommande|pré-commande|précommander|sortira le|paraîtra le|disponible à partir du/,
  /prenota|preordina|preordine|sarà disponibile/,
  /reserva(lo)? ahora|preventa|pre-?venta|saldrá a la venta|disponible a partir del/,
  /pré-venda|pré-encomenda|pré-?venda|será lançado/,
  /vooruitbestellen|pre-?order|verschijnt op/,
  /förbeställ/,
  /przedsprzedaż|zamów w przedsprzedaży/,
  /ön sipariş/,
  /予約/,
  /طلب مسبق|الطلب المسبق/,
];

/**
 * "Available from these sellers": no featured offer, so nothing to say about stock even though
 * the line contains "available" ("disponible", "verfügbar") in most languages.
 */
const SELLERS_ONLY: readonly RegExp[] = [
  /these sellers|other sellers|diesen verkäufern|ces vendeurs|questi venditori|estos vendedores/,
  /estes vendedores|deze verkopers|dessa säljare|tych sprzedawców|bu satıcılar|出品者|هؤلاء البائعين/,
];

const IN_STOCK: readonly RegExp[] = [
  /in stock|left in stock|ships within|dispatched within|usually ships|usually dispatched|available to ship/,
  /auf lager|gewöhnlich versandfertig|versandfertig|vorrätig|lieferbar/,
  /en stock|il ne reste plus|expédié sous|habituellement expédié/,
  /disponibilità immediata|disponibil|generalmente spedito/,
  /en stock|disponible|envío en|normalmente se envía/,
  /em estoque|em stock|disponível|estimativa de envio|envio em/,
  /op voorraad|beschikbaar|verzonden binnen/,
  /i lager|finns i lager|skickas inom/,
  /w magazynie|dostępny|wysyłka w ciągu/,
  /stokta|stoklarla sınırlı/,
  /在庫あり|残り\d|通常\d/,
  /متوفر|متاح|في المخزون/,
];

function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(text));
}

/** Classifies an availability line; `unknown` when it says none of the known things. */
export function classifyAvailabilityText(text: string): Availability {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (t === '') return 'unknown';
  if (matchesAny(t, PRE_ORDER)) return 'preorder';
  if (matchesAny(t, OUT_OF_STOCK)) return 'out_of_stock';
  if (matchesAny(t, SELLERS_ONLY)) return 'unknown';
  if (matchesAny(t, IN_STOCK)) return 'in_stock';
  return 'unknown';
}
