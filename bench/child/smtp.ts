/**
 * A local SMTP server (smtp-server) that accepts everything and counts messages, in its own
 * process so that parsing SMTP does not share the sender's event loop. Counting only: a message
 * is counted when its DATA has been received in full and accepted.
 */
import { SMTPServer } from 'smtp-server';
import { serveIpc } from '../lib/serve-ipc.js';

let count = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 1_000,
  closeTimeout: 100,
  onData(stream, _session, callback) {
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => {
      count++;
      callback();
    });
  },
});
server.on('error', () => undefined); // a client dropping its connection is not our problem
const port = await new Promise<number>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const addr = server.server.address();
    resolve(typeof addr === 'object' && addr ? addr.port : 0);
  });
});
const cpuAtStart = process.cpuUsage();

serveIpc(
  {
    count: () => ({ count, bytes }),
    cpu: () => {
      const u = process.cpuUsage(cpuAtStart);
      return { cpuMs: (u.user + u.system) / 1000 };
    },
  },
  { url: `smtp://127.0.0.1:${port}` },
  () => new Promise<void>((resolve) => server.close(() => resolve())),
);
