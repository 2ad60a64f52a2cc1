/**
 * The shared part of the provider stand-ins: an HTTP server on 127.0.0.1 that reads each request
 * whole and hands it to the provider's handler, which checks it as the real service would and
 * answers like it. Tests can queue a forced answer (a 429, a 500) for the next requests.
 */
import http from 'node:http';

export interface StandinRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

export interface StandinReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON. */
  readonly body?: string | Buffer | object;
}

export interface StandinServer {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  /** `127.0.0.1:port`, for the fetcher's trustedHosts. */
  readonly host: string;
  readonly port: number;
  /** Every request, checked or not, in arrival order. */
  readonly requests: StandinRequest[];
  /** The next requests get these answers instead of the handler's (after being recorded). */
  forceNext(...replies: StandinReply[]): void;
  close(): Promise<void>;
}

export async function startStandinServer(
  handle: (req: StandinRequest) => StandinReply | Promise<StandinReply>,
): Promise<StandinServer> {
  const requests: StandinRequest[] = [];
  const forced: StandinReply[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const u = new URL(req.url ?? '/', 'http://standin');
      const r: StandinRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body,
        text: body.toString('utf8'),
      };
      requests.push(r);
      const next = forced.shift();
      Promise.resolve(next ?? handle(r)).then(
        (reply) => send(res, reply),
        (err: unknown) => send(res, { status: 500, body: { error: String(err) } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    forceNext: (...replies) => forced.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, reply: StandinReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body: string | Buffer = '';
  if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') body = reply.body;
  else if (reply.body !== undefined) {
    body = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}

export const json = (
  status: number,
  body: object,
  headers?: Record<string, string>,
): StandinReply => (headers ? { status, body, headers } : { status, body });

/** Decodes HTTP Basic credentials, or null. */
export function basicAuth(
  headers: http.IncomingHttpHeaders,
): { user: string; pass: string } | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headers.authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? null : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

export function isJson(headers: http.IncomingHttpHeaders): boolean {
  return /^application\/json\b/i.test(headers['content-type'] ?? '');
}
