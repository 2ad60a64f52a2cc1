import dns from 'node:dns';
import net from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

describe('the test network guard', () => {
  it('fails any connection that would leave this machine', async () => {
    expect(() => net.connect(80, 'example.com')).toThrow(/real outbound network/);
    expect(() => net.connect({ host: '93.184.216.34', port: 80 })).toThrow(/real outbound network/);
    await expect(request('http://example.com/')).rejects.toThrow(/real outbound network/);
    await expect(dns.promises.lookup('example.com')).rejects.toThrow(/real outbound network/);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const got = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1');
      let data = '';
      c.on('data', (d) => (data += d.toString()));
      c.on('end', () => resolve(data));
      c.on('error', reject);
    });
    expect(got).toBe('hi');
    server.close();
  });
});
