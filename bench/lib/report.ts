/**
 * What a section hands back, and how the run prints it: one summary row per budget (figure,
 * budget, baseline measured in the same run, ratio, PASS/FAIL, notes), plus detail tables per
 * section. Rows without a budget are informational (`info`).
 */

export interface Budget {
  readonly op: '<=' | '>=';
  readonly value: number;
}

export interface Figure {
  readonly value: number | null;
  readonly unit: string;
}

export interface BudgetRow {
  readonly section: string;
  readonly name: string;
  readonly figure: Figure;
  readonly budget: Budget | null;
  readonly baseline: { readonly name: string; readonly figure: Figure } | null;
  /** e.g. { label: 'cheerio/ours', value: 301 } */
  readonly ratio: { readonly label: string; readonly value: number | null } | null;
  readonly notes: string;
}

export type Status = 'PASS' | 'FAIL' | 'info' | 'ERROR' | 'skipped';

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Lines printed under the table. */
  readonly footer?: readonly string[];
}

export interface SectionResult {
  readonly section: string;
  readonly rows: readonly BudgetRow[];
  readonly details: readonly Table[];
  /** Everything measured, for --json. */
  readonly data: unknown;
  readonly seconds: number;
  readonly error?: string;
}

export function statusOf(row: BudgetRow): Status {
  if (!row.budget) return 'info';
  const v = row.figure.value;
  if (v === null || !Number.isFinite(v)) return 'ERROR';
  return (row.budget.op === '<=' ? v <= row.budget.value : v >= row.budget.value) ? 'PASS' : 'FAIL';
}

/** Three significant digits for small numbers, thousands separators for large ones. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a === 0) return '0';
  return Number(v.toPrecision(digits)).toString();
}

/** "0.79 ms", but "324×": a multiplier sticks to its number. */
const withUnit = (v: string, unit: string) => (unit === '×' ? `${v}×` : `${v} ${unit}`);

export function fmtFigure(f: Figure): string {
  return f.value === null ? '-' : withUnit(fmt(f.value), f.unit);
}

export function fmtBudget(b: Budget | null, unit: string): string {
  return b ? `${b.op === '<=' ? '≤' : '≥'} ${withUnit(fmt(b.value), unit)}` : '-';
}

export function fmtRatio(r: BudgetRow['ratio']): string {
  if (!r) return '-';
  return r.value === null ? `- (${r.label})` : `${fmt(r.value)}× (${r.label})`;
}

/** Plain-text table: columns padded to their widest cell; numbers are already strings. */
export function renderTable(t: Table): string {
  const cells = [t.columns, ...t.rows];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [t.title, line(t.columns), rule, ...t.rows.map(line)];
  if (t.footer) out.push(...t.footer);
  return out.join('\n');
}

/** Terminal width of a string: the box-drawing and math signs used here are one column each. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

export function summaryTable(results: readonly SectionResult[]): Table {
  const rows: string[][] = [];
  for (const r of results) {
    for (const row of r.rows) {
      rows.push([
        row.name,
        fmtFigure(row.figure),
        fmtBudget(row.budget, row.figure.unit),
        row.baseline ? `${row.baseline.name}: ${fmtFigure(row.baseline.figure)}` : '-',
        fmtRatio(row.ratio),
        statusOf(row),
        row.notes,
      ]);
    }
    if (r.error) rows.push([r.section, '-', '-', '-', '-', 'ERROR', r.error.split('\n')[0] ?? '']);
  }
  return {
    title: 'Budgets (DESIGN.md), each against a baseline measured side by side in this run',
    columns: ['budget', 'figure', 'budget', 'baseline', 'ratio', 'status', 'notes'],
    rows,
  };
}
