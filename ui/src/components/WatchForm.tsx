import { useId, useState, type FormEvent } from 'react';
import type { Money, PriceType } from '../api';
import {
  PRICE_TYPES,
  PRICE_TYPE_LABEL,
  catalogApi,
  type CatalogProduct,
  type RuleInput,
  type WatchDetail,
} from '../catalog-api';
import { checkTargetPrice, currencySymbol, formatMoney, suggestedTarget } from '../format';
import { ErrorNote } from './Notice';

type RuleType = RuleInput['type'];

export const RULE_CHOICES: ReadonlyArray<{ type: RuleType; label: string; hint: string }> = [
  {
    type: 'below',
    label: 'Below my target',
    hint: 'When the price drops below a price you choose.',
  },
  {
    type: 'drop_percent',
    label: 'Drops by a percentage',
    hint: 'When the price falls this much below today’s price.',
  },
  { type: 'any_drop', label: 'Any price drop', hint: 'Whenever the price goes down.' },
  {
    type: 'back_in_stock',
    label: 'Back in stock',
    hint: 'When the product can be bought again after being unavailable.',
  },
];

/** A whole percentage from 1 to 99, as the API takes it. */
export function checkPercent(
  input: string,
): { ok: true; percent: number } | { ok: false; message: string } {
  const s = input.trim().replace(/%$/, '').trim();
  if (s === '') return { ok: false, message: 'Enter how many percent the price should drop.' };
  if (!/^\d{1,2}$/.test(s) || Number(s) < 1) {
    return { ok: false, message: 'Enter a whole number from 1 to 99.' };
  }
  return { ok: true, percent: Number(s) };
}

function priceOf(product: CatalogProduct, type: PriceType): Money | null {
  return product.prices[type];
}

/**
 * The rule of a watch, any of the four types on any price type: a new watch, or changes to
 * `editing`. What the API answers replaces the watch in the caller's list.
 */
export function WatchForm({
  product,
  editing,
  onSaved,
  onCancel,
}: {
  product: CatalogProduct;
  editing?: WatchDetail;
  onSaved: (w: WatchDetail) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const initial = editing?.rule;
  const [type, setType] = useState<RuleType>(initial?.type ?? 'below');
  const [priceType, setPriceType] = useState<PriceType>(editing?.priceType ?? 'buybox');
  const [target, setTarget] = useState(initial?.type === 'below' ? initial.price.amount : '');
  const [percent, setPercent] = useState(
    initial?.type === 'drop_percent' ? String(initial.percent) : '10',
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const currency = product.currency ?? product.price?.currency ?? null;
  const current = priceOf(product, priceType);
  const example = current ? suggestedTarget(current) : null;

  function rule(): RuleInput | null {
    switch (type) {
      case 'below': {
        const check = checkTargetPrice(target, currency);
        if (!check.ok) {
          setProblem(check.message);
          return null;
        }
        return { type, price: check.amount };
      }
      case 'drop_percent': {
        const check = checkPercent(percent);
        if (!check.ok) {
          setProblem(check.message);
          return null;
        }
        return { type, percent: check.percent };
      }
      default:
        return { type };
    }
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setError(null);
    const r = rule();
    if (!r) return;
    setProblem(null);
    setBusy(true);
    try {
      const { watch } = editing
        ? await catalogApi.updateWatch(editing.id, { rule: r, priceType })
        : await catalogApi.createWatch(product.id, priceType, r);
      setBusy(false);
      onSaved(watch);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const problemId = `${id}-problem`;
  return (
    <form className="watch-form stack" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="choice-group">
        <legend className="field-label">Alert me when</legend>
        {RULE_CHOICES.map((c) => (
          <div key={c.type} className="check">
            <input
              id={`${id}-${c.type}`}
              type="radio"
              name={`${id}-rule`}
              value={c.type}
              checked={type === c.type}
              onChange={() => {
                setType(c.type);
                setProblem(null);
              }}
              aria-describedby={`${id}-${c.type}-hint`}
            />
            <label htmlFor={`${id}-${c.type}`}>{c.label}</label>
            <p className="field-hint" id={`${id}-${c.type}-hint`}>
              {c.hint}
            </p>
          </div>
        ))}
      </fieldset>

      {type === 'below' && (
        <div className="field">
          <label htmlFor={`${id}-target`} className="field-label">
            Target price
          </label>
          <div className="input-affix">
            {currency && (
              <span className="affix" aria-hidden="true">
                {currencySymbol(currency)}
              </span>
            )}
            <input
              id={`${id}-target`}
              className="input"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              placeholder={example ?? '0.00'}
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              aria-describedby={problem ? problemId : undefined}
              aria-invalid={problem ? true : undefined}
            />
            {currency && <span className="affix affix-end">{currency}</span>}
          </div>
        </div>
      )}

      {type === 'drop_percent' && (
        <div className="field">
          <label htmlFor={`${id}-percent`} className="field-label">
            Drop percentage
          </label>
          <div className="input-affix input-affix-short">
            <input
              id={`${id}-percent`}
              className="input"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              aria-describedby={`${id}-percent-hint${problem ? ` ${problemId}` : ''}`}
              aria-invalid={problem ? true : undefined}
            />
            <span className="affix affix-end" aria-hidden="true">
              %
            </span>
          </div>
          <p className="field-hint" id={`${id}-percent-hint`}>
            {editing?.rule.type === 'drop_percent' && editing.rule.baseline
              ? `Measured from ${formatMoney(editing.rule.baseline)} (the price when the alert was set); a new percentage or price type measures from today’s price.`
              : current
                ? `Measured from today’s price, ${formatMoney(current)}.`
                : 'Measured from today’s price, which this price type does not have now.'}
          </p>
        </div>
      )}

      <div className="field">
        <label htmlFor={`${id}-type`} className="field-label">
          Price type
        </label>
        <select
          id={`${id}-type`}
          className="input select"
          value={priceType}
          onChange={(e) => setPriceType(e.target.value as PriceType)}
        >
          {PRICE_TYPES.map((t) => {
            const p = priceOf(product, t);
            return (
              <option key={t} value={t}>
                {PRICE_TYPE_LABEL[t]} ({p ? formatMoney(p) : 'not offered now'})
              </option>
            );
          })}
        </select>
      </div>

      {problem && (
        <p className="field-error" id={problemId} role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Set alert'}
        </button>
        {onCancel && (
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
