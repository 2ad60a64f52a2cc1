// Loaded into every test worker: any connection or DNS lookup that would leave this machine fails
// the test that made it. Stand-ins for Amazon, SMTP and the rest listen on loopback.
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|\[::1\])$/i;

function refuse(host: string): never {
  throw new Error(`test tried to reach ${host}: real outbound network is not allowed in tests`);
}

interface ConnectOptions {
  host?: string;
  path?: string;
  lookup?: (...a: unknown[]) => void;
}

function guardResolved(lookup: (...a: unknown[]) => void): (...a: unknown[]) => void {
  return (hostname: unknown, options: unknown, cb: unknown) => {
    const callback = cb as (err: unknown, address: unknown, family?: number) => void;
    lookup(hostname, options, (err: unknown, address: unknown, family?: number) => {
      const list = Array.isArray(address)
        ? (address as Array<{ address: string }>).map((a) => a.address)
        : [address as string];
      if (!err && list.some((a) => a && !LOOPBACK.test(a))) {
        callback(
          new Error(
            `test tried to reach ${String(hostname)} at ${list.join(', ')}: real outbound network is not allowed in tests`,
          ),
          '',
          0,
        );
        return;
      }
      callback(err, address, family);
    });
  };
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied with its own `this` below
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const [first, second] = args;
  let host: string | undefined;
  let path: string | undefined;
  let opts: ConnectOptions | undefined;
  if (Array.isArray(first)) {
    // internal normalized form: [options, callback]
    opts = first[0] as ConnectOptions | undefined;
  } else if (first && typeof first === 'object') {
    opts = first;
  }
  if (opts) {
    host = opts.host;
    path = opts.path;
    // A connection with its own resolver (the fetcher pins DNS this way): what it resolves to
    // must be loopback, whatever the name.
    if (host !== undefined && !LOOPBACK.test(host) && typeof opts.lookup === 'function') {
      opts.lookup = guardResolved(opts.lookup);
      host = undefined;
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof second === 'string' ? second : undefined;
  } else if (typeof first === 'string') {
    path = first;
  }
  if (!path && host !== undefined && !LOOPBACK.test(host)) refuse(host);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};

const originalLookup = dns.lookup;
const guardedLookup = function (hostname: string, ...rest: unknown[]) {
  if (!LOOPBACK.test(hostname) && net.isIP(hostname) === 0) refuse(hostname);
  return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
};
dns.lookup = guardedLookup as typeof dns.lookup;
const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = (async (hostname: string, ...rest: unknown[]) => {
  if (!LOOPBACK.test(hostname) && net.isIP(hostname) === 0) refuse(hostname);
  return (originalPromiseLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
}) as typeof dns.promises.lookup;
