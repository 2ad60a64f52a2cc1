/**
 * Progress lines on stderr, so that stdout carries only the report (or the JSON with --json) and
 * a long run still shows where it is.
 */
const started = performance.now();

export function progress(section: string, message: string): void {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${t}s] ${section}: ${message}\n`);
}

/** Seconds since the bench started. */
export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}
