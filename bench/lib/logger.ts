import { pino, type Logger } from 'pino';

/**
 * The product's components want a pino logger. The product's own logger writes to stdout, which
 * here carries the report (or --json), so the bench gives them one that writes warnings and errors
 * to stderr.
 */
export function benchLogger(level = 'warn'): Logger {
  return pino({ level, base: { bench: true } }, pino.destination(2));
}
