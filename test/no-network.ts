// Loaded into every test worker: any connection or DNS lookup that would leave this machine fails
// the test that made it. Stand-ins for Amazon, SMTP and the rest listen on loopback.
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|\[::1\])$/i;

function refuse(host: string): never {
  throw new Error(`test tried to reach ${host}: real outbound network is not allowed in tests`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const [first, second] = args;
  let host: string | undefined;
  let path: string | undefined;
  if (Array.isArray(first)) {
    // internal normalized form: [options, callback]
    const opts = first[0] as { host?: string; path?: string } | undefined;
    host = opts?.host;
    path = opts?.path;
  } else if (first && typeof first === 'object') {
    const opts = first as { host?: string; path?: string };
    host = opts.host;
    path = opts.path;
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof second === 'string' ? second : undefined;
  } else if (typeof first === 'string') {
    path = first;
  }
  if (!path && host !== undefined && !LOOPBACK.test(host)) refuse(host);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const originalLookup = dns.lookup;
const guardedLookup = function (hostname: string, ...rest: unknown[]) {
  if (!LOOPBACK.test(hostname) && net.isIP(hostname) === 0) refuse(hostname);
  return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
};
dns.lookup = guardedLookup as typeof dns.lookup;
const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = ((hostname: string, ...rest: unknown[]) => {
  if (!LOOPBACK.test(hostname) && net.isIP(hostname) === 0) refuse(hostname);
  return (originalPromiseLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
}) as typeof dns.promises.lookup;
