-- "Display currency format" is how prices are written (€ / EUR / euros), not a currency to
-- convert to: Pricehawk never converts prices.
alter table users drop column display_currency;
alter table users add column currency_display text not null default 'symbol'
  check (currency_display in ('symbol', 'narrowSymbol', 'code', 'name'));
