import type { Rule } from '../api';
import { formatMoney } from '../format';

export function ruleText(rule: Rule): string {
  switch (rule.type) {
    case 'below':
      return `Below ${formatMoney(rule.price)}`;
    case 'drop_percent':
      return `Drops ${rule.percent}%${rule.baseline ? ` from ${formatMoney(rule.baseline)}` : ''}`;
    case 'any_drop':
      return 'Any drop';
    case 'back_in_stock':
      return 'Back in stock';
  }
}
