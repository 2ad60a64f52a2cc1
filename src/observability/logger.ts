import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; every component takes a child logger with its own context. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
