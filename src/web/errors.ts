/**
 * Every error leaves the API as `{error: {code, message, details?}}` with a 4xx for anything the
 * caller can fix. A 500 means a bug on our side and is logged with its cause.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function installErrorHandler(app: FastifyInstance, opts: { uiIndex: boolean }): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message,
      }));
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: first ? `${first.path}: ${first.message}` : 'invalid request',
          details,
        },
      } satisfies ErrorBody);
    }
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)
        ?.retryAfterSeconds;
      if (err.status === 429 && retryAfter !== undefined)
        reply.header('retry-after', String(retryAfter));
      return reply.status(err.status).send({
        error: {
          code: err.code,
          message: err.message,
          ...(err.details ? { details: err.details } : {}),
        },
      } satisfies ErrorBody);
    }
    // Fastify's own client errors: bad JSON, wrong content type, body too large, rate limit.
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body_too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
                err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
              ? 'invalid_json'
              : status === 429
                ? 'rate_limited'
                : status === 404
                  ? 'not_found'
                  : 'bad_request';
      const message =
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? 'the body is not valid JSON'
          : err.message;
      return reply.status(status).send({ error: { code, message } } satisfies ErrorBody);
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({
      error: { code: 'internal', message: 'something went wrong on our side' },
    } satisfies ErrorBody);
  });

  app.setNotFoundHandler((req, reply) => {
    // The web UI routes in the browser: a page GET gets the app's page. Not a path that names a
    // machine-read resource (the API, feeds, charts, built assets, anything with a file
    // extension): a feed reader or a script tag must see 404, not a page that says 200.
    if (opts.uiIndex && req.method === 'GET' && isUiPath(req.url.split('?')[0] ?? '')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: {
        code: 'not_found',
        message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}`,
      },
    } satisfies ErrorBody);
  });
}

const MACHINE_PREFIXES = ['/api/', '/feeds/', '/charts/', '/assets/'];

/** Whether a path not matched by any route may be one of the web UI's own pages. */
function isUiPath(path: string): boolean {
  if (MACHINE_PREFIXES.some((p) => path.startsWith(p))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !/\.[A-Za-z0-9]{1,8}$/.test(last);
}
