import { describe, expect, it } from 'vitest';
import { classifyAvailabilityText } from './availability.js';

describe('classifyAvailabilityText', () => {
  const cases: Array<[string, string, ReturnType<typeof classifyAvailabilityText>]> = [
    ['en', 'In Stock.', 'in_stock'],
    ['en', 'Only 4 left in stock (more on the way).', 'in_stock'],
    ['en', 'Usually ships within 5 to 6 days', 'in_stock'],
    [
      'en',
      "Currently unavailable. We don't know when or if this item will be back in stock.",
      'out_of_stock',
    ],
    ['en', 'Temporarily out of stock.', 'out_of_stock'],
    ['en', 'This item is not in stock.', 'out_of_stock'],
    ['en', 'This item will be released on March 28, 2026. Pre-order now.', 'preorder'],
    ['de', 'Auf Lager.', 'in_stock'],
    ['de', 'Nur noch 3 auf Lager', 'in_stock'],
    ['de', 'Derzeit nicht verfügbar.', 'out_of_stock'],
    ['de', 'Dieser Artikel erscheint am 28. März 2019. Bestellen Sie jetzt.', 'preorder'],
    ['fr', 'En stock', 'in_stock'],
    ['fr', 'Actuellement indisponible.', 'out_of_stock'],
    ['fr', 'Cet article paraîtra le 12 mai 2026.', 'preorder'],
    ['it', 'Disponibilità immediata', 'in_stock'],
    ['it', 'Attualmente non disponibile.', 'out_of_stock'],
    ['it', 'Non disponibile', 'out_of_stock'],
    ['es', 'En stock', 'in_stock'],
    ['es', 'No disponible.', 'out_of_stock'],
    ['es', 'Temporalmente sin stock.', 'out_of_stock'],
    ['pt', 'Em estoque.', 'in_stock'],
    ['pt', 'Em stock.', 'in_stock'],
    ['pt', 'Estimativa de envio de 2 a 3 dias.', 'in_stock'],
    ['pt', 'Não disponível.', 'out_of_stock'],
    ['pt', 'Este item estará disponível em pré-venda.', 'preorder'],
    ['nl', 'Op voorraad', 'in_stock'],
    ['nl', 'Momenteel niet verkrijgbaar.', 'out_of_stock'],
    ['sv', 'I lager', 'in_stock'],
    ['sv', 'För närvarande inte tillgänglig.', 'out_of_stock'],
    ['pl', 'W magazynie', 'in_stock'],
    ['pl', 'Obecnie niedostępny.', 'out_of_stock'],
    ['tr', 'Stokta var.', 'in_stock'],
    ['tr', 'Şu anda mevcut değil.', 'out_of_stock'],
    ['ja', '在庫あり。', 'in_stock'],
    ['ja', '残り3点 ご注文はお早めに', 'in_stock'],
    ['ja', '現在在庫切れです。', 'out_of_stock'],
    ['ja', 'この商品は予約商品です。', 'preorder'],
    ['ar', 'متوفر', 'in_stock'],
    ['ar', 'غير متوفر حاليًا.', 'out_of_stock'],
    ['it', 'Solo 2 disponibili', 'in_stock'],
    ['en', 'Available from these sellers.', 'unknown'],
    ['fr', 'Disponible auprès de ces vendeurs.', 'unknown'],
    ['es', 'Disponible a través de estos vendedores.', 'unknown'],
    ['de', 'Erhältlich bei diesen Verkäufern.', 'unknown'],
    ['-', '', 'unknown'],
    ['-', 'Lorem ipsum', 'unknown'],
  ];

  it.each(cases)('%s: %s', (_lang, text, expected) => {
    expect(classifyAvailabilityText(text)).toBe(expected);
  });
});
