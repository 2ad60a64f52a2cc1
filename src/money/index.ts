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
export { type ParseHints, type ParsedPrice, parseMoney, parsePrice } from './parse.js';
