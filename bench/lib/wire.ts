/**
 * Bytes taken off the TCP sockets undici opens in this process, through undici's diagnostics
 * channel (the fetcher's own Agent is not reachable from outside). With one request at a time,
 * the difference before and after a fetch is that fetch's bytes on the wire: headers plus the
 * (compressed) body as far as the client read it before an early stop tore the connection down.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface WireCounter {
  /** Bytes read so far from every socket seen (closed ones included). */
  bytesRead(): number;
  close(): void;
}

export function countWireBytes(): WireCounter {
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  const onConnected = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket;
    if (!socket) return;
    sockets.add(socket);
    socket.once('close', () => {
      closedBytes += socket.bytesRead;
      sockets.delete(socket);
    });
  };
  diagnosticsChannel.subscribe('undici:client:connected', onConnected);
  return {
    bytesRead() {
      let open = 0;
      for (const s of sockets) open += s.bytesRead;
      return closedBytes + open;
    },
    close() {
      diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
    },
  };
}
