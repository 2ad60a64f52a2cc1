import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty' | 'auto';

/**
 * JSON logs to stdout for machines; readable lines when a person watches a terminal (`auto`).
 * Every component takes a child logger with its own context.
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  format: LogFormat = 'json',
): Logger {
  const options = { level, base: { ...base }, timestamp: pino.stdTimeFunctions.isoTime };
  const human = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!human) return pino(options);
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY === true, ignore: 'pid,hostname', sync: true }),
  );
}
