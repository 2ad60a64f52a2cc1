/**
 * A real SMTP server for tests (the smtp-server package), collecting what it accepts. It can be
 * stopped and started again on the same port to play an outage, and can hold its reply to DATA so a
 * test can kill the sender in the middle of a send.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly raw: string;
}

/** Alert emails, as opposed to account email (confirmations, notices). */
export const isAlert = (m: ReceivedMail) =>
  m.subject.startsWith('Price drop') || m.subject.startsWith('Back in stock');

export interface TestSmtp {
  readonly url: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Resolves once `n` messages (matching `which`, when given) have arrived. */
  waitFor(
    n: number,
    which?: (m: ReceivedMail) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMail[]>;
  /** Holds the reply to the next DATA until `release()`; resolves when a message is being held. */
  holdNext(): Promise<{ release(): void }>;
  /**
   * Accepts the next `n` messages, then holds the reply to every later DATA. `held` resolves when
   * one is held; `dropHeld()` waits until the sender has closed every held connection (it was
   * killed) and discards those messages, as a server does whose acceptance never reached the
   * client; later messages are accepted again.
   */
  holdAfter(n: number): { held: Promise<void>; heldCount(): number; dropHeld(): Promise<void> };
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let hold: { arrived: (h: { release(): void }) => void } | undefined;
  let gate:
    | { acceptLeft: number; held: Array<{ session: string; drop(): void }>; onHeld: () => void }
    | undefined;
  const closedSessions = new Set<string>();

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // An outage should start at once, not after the default 30 s grace for open connections.
      closeTimeout: 50,
      onClose(session) {
        closedSessions.add(session.id);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const accept = () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            simpleParser(raw).then(
              (m) => {
                // Like a conforming server, a message counts as delivered only if the acceptance
                // reply can still reach the client.
                if (!closedSessions.has(session.id)) {
                  messages.push({
                    messageId: m.messageId ?? '',
                    to: session.envelope.rcptTo.map((r) => r.address).join(','),
                    subject: m.subject ?? '',
                    text: m.text ?? '',
                    html: typeof m.html === 'string' ? m.html : '',
                    raw,
                  });
                  for (const w of waiters.splice(0)) w();
                }
                callback();
              },
              (err: Error) => callback(err),
            );
          };
          if (hold) {
            const h = hold;
            hold = undefined;
            h.arrived({ release: accept });
          } else if (gate && gate.acceptLeft <= 0) {
            gate.held.push({
              session: session.id,
              drop: () => callback(new Error('connection closed before acceptance')),
            });
            gate.onHeld();
          } else {
            if (gate) gate.acceptLeft--;
            accept();
          }
        });
      },
    });

  let server = create();
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        const addr = server.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : p);
      });
    });
  const actualPort = await listen(port);

  return {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    messages,
    async waitFor(n, which = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const matching = () => messages.filter(which);
      while (matching().length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} email(s), got ${matching().length}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return matching();
    },
    holdNext() {
      return new Promise((resolve) => {
        hold = { arrived: resolve };
      });
    },
    holdAfter(n) {
      let onHeld = () => undefined as void;
      const held = new Promise<void>((r) => (onHeld = r));
      const g = { acceptLeft: n, held: [] as Array<{ session: string; drop(): void }>, onHeld };
      gate = g;
      return {
        held,
        heldCount: () => g.held.length,
        async dropHeld() {
          const deadline = Date.now() + 20_000;
          while (!g.held.every((h) => closedSessions.has(h.session))) {
            if (Date.now() > deadline) throw new Error('held connections were not closed');
            await new Promise((r) => setTimeout(r, 20));
          }
          for (const h of g.held) h.drop();
          gate = undefined;
        },
      };
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
    async restart() {
      server = create();
      await listen(actualPort);
    },
  };
}
