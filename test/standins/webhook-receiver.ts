/**
 * A webhook consumer that verifies the Standard Webhooks signature by hand, as the spec describes
 * it (not with our signing code): base64-decode the secret after `whsec_`, HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{raw body}`, compare against each space-separated `v1,<sig>`
 * in constant time, and refuse timestamps more than 5 minutes off. Bad requests get 401.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isJson, json, startStandinServer, type StandinReply, type StandinServer } from './http.js';

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: number;
  readonly payload: any;
  readonly raw: string;
}

export interface WebhookReceiver extends StandinServer {
  readonly accepted: ReceivedWebhook[];
  /** Why requests were refused, in order. */
  readonly refused: string[];
  /** Answer this status to every valid request from now on (410 to say "gone"). */
  answerWith(reply: StandinReply | null): void;
}

const TOLERANCE_S = 5 * 60;

export async function startWebhookReceiver(opts: {
  secret: string;
  /** The receiver's clock (the same fake clock as the sender's in tests). */
  now: () => Date;
  path?: string;
}): Promise<WebhookReceiver> {
  const accepted: ReceivedWebhook[] = [];
  const refused: string[] = [];
  let answer: StandinReply | null = null;
  const refuse = (why: string): StandinReply => {
    refused.push(why);
    return json(401, { error: why });
  };
  const server = await startStandinServer((req) => {
    if (req.method !== 'POST') return refuse('method');
    if (opts.path && req.path !== opts.path) return { status: 404, body: 'no such hook' };
    if (!isJson(req.headers)) return refuse('content-type');
    const id = req.headers['webhook-id'];
    const ts = req.headers['webhook-timestamp'];
    const sigs = req.headers['webhook-signature'];
    if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') {
      return refuse('missing headers');
    }
    if (!/^\d+$/.test(ts)) return refuse('timestamp format');
    const timestamp = Number(ts);
    const nowS = Math.floor(opts.now().getTime() / 1000);
    if (Math.abs(nowS - timestamp) > TOLERANCE_S) return refuse('timestamp out of tolerance');
    const key = Buffer.from(opts.secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(req.body).digest();
    const good = sigs.split(' ').some((s) => {
      const [version, b64] = s.split(',', 2);
      if (version !== 'v1' || !b64) return false;
      const given = Buffer.from(b64, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!good) return refuse('signature');
    let payload: unknown;
    try {
      payload = JSON.parse(req.text);
    } catch {
      return refuse('body is not JSON');
    }
    accepted.push({ id, timestamp, payload, raw: req.text });
    return answer ?? { status: 204 };
  });
  return Object.assign(server, {
    accepted,
    refused,
    answerWith: (reply: StandinReply | null) => {
      answer = reply;
    },
  });
}
