import type { Money } from '../api';
import { PRICE_TYPE_LABEL, type PriceStats, type PriceWindow } from '../catalog-api';
import { formatDateTime, formatMoney } from '../format';

/** History a good-deal rating needs (the server's rule: five weeks). */
const GOOD_DEAL_DAYS = 35;

const WINDOWS: ReadonlyArray<readonly [key: keyof PriceStats['windows'], label: string]> = [
  ['d30', '30 days'],
  ['d90', '90 days'],
  ['d365', '1 year'],
  ['all', 'All time'],
];

function money(m: Money | null): string {
  return m ? formatMoney(m) : '—';
}

/** The change from the previous price, in words: the API sends a signed decimal. */
function PreviousChange({ stats }: { stats: PriceStats }) {
  const { dropFromPrevious: d, previous, dropPercent } = stats;
  if (!d || !previous) {
    return <p className="muted small">No earlier price recorded yet.</p>;
  }
  const rose = d.amount.startsWith('-');
  const size: Money = { amount: rose ? d.amount.slice(1) : d.amount, currency: d.currency };
  if (/^0*(\.0*)?$/.test(size.amount)) {
    return <p className="muted small">Same as the previous price ({formatMoney(previous)}).</p>;
  }
  const percent = dropPercent === null ? '' : ` (${Math.abs(dropPercent).toFixed(1)}%)`;
  return (
    <p className={rose ? 'stat-change stat-up' : 'stat-change stat-down'}>
      {rose ? 'Up ' : 'Down '}
      <span className="price">{formatMoney(size)}</span>
      {percent} from {formatMoney(previous)}
    </p>
  );
}

function WindowRow({ label, w }: { label: string; w: PriceWindow }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="price price-good">{money(w.lowest)}</td>
      <td className="price">{money(w.average)}</td>
      <td className="price">{money(w.highest)}</td>
      <td className="muted">{w.changes}</td>
    </tr>
  );
}

/** Current, lowest, highest and average prices of one price type, and whether now is a deal. */
export function PriceStatsPanel({ stats }: { stats: PriceStats }) {
  const label = PRICE_TYPE_LABEL[stats.priceType];
  return (
    <div className="price-stats" aria-label={`Price statistics, ${label}`} role="region">
      <div className="stat-current">
        <div>
          <p className="stat-label">Current ({label.toLowerCase()})</p>
          <p className="price-large">
            {stats.current ? formatMoney(stats.current) : 'Unavailable'}
          </p>
          {stats.currentSince && (
            <p className="muted small">since {formatDateTime(stats.currentSince)}</p>
          )}
        </div>
        <div className="stat-verdict">
          {stats.goodDeal ? (
            <span
              className="badge badge-good"
              title="Within 5% of the lowest price ever recorded, with at least five weeks of history."
            >
              Good deal
            </span>
          ) : stats.historyDays < GOOD_DEAL_DAYS ? (
            <span className="muted small">
              Deal rating after five weeks of history ({stats.historyDays}{' '}
              {stats.historyDays === 1 ? 'day' : 'days'} so far)
            </span>
          ) : (
            <span className="muted small">Not near its lowest price</span>
          )}
        </div>
      </div>
      <PreviousChange stats={stats} />
      <div className="table-scroll">
        <table className="stats-table">
          <caption className="visually-hidden">
            Lowest, average and highest {label.toLowerCase()} price per period
          </caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Lowest</th>
              <th scope="col">Average</th>
              <th scope="col">Highest</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {WINDOWS.map(([key, name]) => (
              <WindowRow key={key} label={name} w={stats.windows[key]} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Averages are weighted by how long each price held.
        {stats.firstSeen && <> Tracked since {formatDateTime(stats.firstSeen)}.</>}
      </p>
    </div>
  );
}
