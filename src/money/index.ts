export {
  type Money,
  currencyDecimals,
  decimalToMinor,
  formatMoney,
  isCurrencyCode,
  minorToDecimal,
  money,
  sameMoney,
  toDecimal,
} from './money.js';
export {
  type ParseHints,
  type ParsedPrice,
  type ParsedPriceRange,
  type ParsePriceCliResult,
  parseMoney,
  parsePrice,
  parsePriceCli,
  parsePriceRange,
} from './parse.js';
