/**
 * Twilio's Messages API, as far as Pricehawk uses it:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic auth with the
 * Account SID (or an API key SID) and its secret. It checks the auth, the form fields (To in E.164,
 * exactly one of From / MessagingServiceSid, a Body of at most 1,600 characters) and answers with
 * Twilio's shapes: 201 and a message resource, or `{code, message, more_info, status}` errors
 * (20003 bad credentials, 21211 invalid To, 21602 no Body, 21603 no From, 21610 unsubscribed,
 * 21617 body too long, 20429 too many requests).
 */
import { randomBytes } from 'node:crypto';
import {
  basicAuth,
  json,
  startStandinServer,
  type StandinReply,
  type StandinServer,
} from './http.js';

export interface SentSms {
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly idempotencyToken: string | null;
  readonly sid: string;
}

export interface TwilioStandin extends StandinServer {
  readonly messages: SentSms[];
  /** Numbers Twilio refuses as invalid (21211) or unsubscribed (21610). */
  readonly invalidNumbers: Set<string>;
  readonly stoppedNumbers: Set<string>;
  /** The next `n` requests get 429 / 20429. */
  rateLimitNext(n?: number): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;

const error = (status: number, code: number, message: string): StandinReply =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export async function startTwilioStandin(opts: {
  accountSid: string;
  authToken: string;
}): Promise<TwilioStandin> {
  const messages: SentSms[] = [];
  const invalidNumbers = new Set<string>();
  const stoppedNumbers = new Set<string>();
  const server = await startStandinServer((req) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (!m) return error(404, 20404, 'The requested resource was not found');
    const creds = basicAuth(req.headers);
    if (!creds || creds.user !== opts.accountSid || creds.pass !== opts.authToken) {
      return {
        ...error(401, 20003, 'Authenticate'),
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
      };
    }
    if (decodeURIComponent(m[1] ?? '') !== opts.accountSid) {
      return error(404, 20404, 'The requested resource was not found');
    }
    if (req.method !== 'POST') return error(405, 20004, 'Method not allowed');
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return error(400, 21602, 'Message body is required.');
    }
    const form = new URLSearchParams(req.text);
    const to = form.get('To') ?? '';
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    if (!E164.test(to) || invalidNumbers.has(to)) {
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (stoppedNumbers.has(to)) {
      return error(400, 21610, 'Attempt to send to unsubscribed recipient');
    }
    if ((from === null) === (service === null)) {
      return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.");
    }
    if (body.trim() === '') return error(400, 21602, 'Message body is required.');
    if (Array.from(body).length > 1600) {
      return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const token = req.headers['i-twilio-idempotency-token'];
    messages.push({
      to,
      from,
      messagingServiceSid: service,
      body,
      idempotencyToken: typeof token === 'string' ? token : null,
      sid,
    });
    return json(201, {
      sid,
      account_sid: opts.accountSid,
      to,
      from,
      messaging_service_sid: service,
      body,
      status: 'queued',
      num_segments: String(Math.ceil(Array.from(body).length / 153) || 1),
      direction: 'outbound-api',
      api_version: '2010-04-01',
    });
  });
  return Object.assign(server, {
    messages,
    invalidNumbers,
    stoppedNumbers,
    rateLimitNext(n = 1) {
      for (let i = 0; i < n; i++) server.forceNext(error(429, 20429, 'Too Many Requests'));
    },
  });
}
