import type { Availability, ProductState, WatchStatus } from '../api';

const STATE: Record<ProductState, { label: string; tone: string; hint: string } | null> = {
  active: null,
  stale: {
    label: 'Stale',
    tone: 'warn',
    hint: 'The last checks failed; this price may be out of date.',
  },
  blocked: {
    label: 'Blocked',
    tone: 'danger',
    hint: 'The store refused our last checks (captcha or robot check). Prices resume when it lets us in.',
  },
  gone: { label: 'Gone', tone: 'muted', hint: 'The store no longer lists this product.' },
};

export function StateBadge({ state }: { state: ProductState }) {
  const s = STATE[state];
  if (!s) return null;
  return (
    <span className={`badge badge-${s.tone}`} title={s.hint}>
      {s.label}
    </span>
  );
}

export function stateHint(state: ProductState): string | null {
  return STATE[state]?.hint ?? null;
}

const AVAILABILITY: Record<Availability, { label: string; tone: string }> = {
  in_stock: { label: 'In stock', tone: 'good' },
  out_of_stock: { label: 'Out of stock', tone: 'danger' },
  preorder: { label: 'Pre-order', tone: 'info' },
  unknown: { label: 'Availability unknown', tone: 'muted' },
};

export function AvailabilityBadge({ availability }: { availability: Availability }) {
  const a = AVAILABILITY[availability];
  return <span className={`badge badge-${a.tone}`}>{a.label}</span>;
}

const STATUS: Record<WatchStatus, { label: string; tone: string; hint: string }> = {
  armed: { label: 'Armed', tone: 'info', hint: 'Waiting for the price to meet your rule.' },
  fired: {
    label: 'Fired',
    tone: 'good',
    hint: 'The price met your rule and you were alerted. It re-arms when the price recovers; a further drop alerts again.',
  },
  stale: {
    label: 'Stale',
    tone: 'muted',
    hint: 'The price has not been read for a while; no alerts until it is.',
  },
  blocked: {
    label: 'Blocked',
    tone: 'danger',
    hint: 'The store refuses our reads or the product is gone; no alerts for now.',
  },
  paused: { label: 'Paused', tone: 'muted', hint: 'No alerts are sent for this watch.' },
};

export function WatchStatusBadge({ status }: { status: WatchStatus }) {
  // A status this UI does not know yet (a newer server) reads as armed rather than breaking.
  const s = STATUS[status] ?? STATUS.armed;
  return (
    <span className={`badge badge-${s.tone}`} title={s.hint}>
      {s.label}
    </span>
  );
}

/** What a status means for the next alert, in a few words (null when the badge says enough). */
export function watchStatusNote(status: WatchStatus): string | null {
  switch (status) {
    case 'fired':
      return 'Alerted; waiting for the price to recover before alerting again (a further drop alerts at once).';
    case 'stale':
      return 'Waiting for a fresh price: no alerts from an outdated one.';
    case 'blocked':
      return 'The store refuses our checks or no longer lists it; no alerts for now.';
    case 'paused':
      return 'Paused: no alerts until you resume it.';
    default:
      return null;
  }
}
