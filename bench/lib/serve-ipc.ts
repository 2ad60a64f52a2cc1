/**
 * The child side of lib/child.ts: answer commands over the IPC channel, and exit when the parent
 * goes away (the channel closes), so that a killed bench never leaves load generators behind.
 */
export type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

export function serveIpc(
  handlers: Handlers,
  ready: Record<string, unknown>,
  onExit?: () => Promise<void>,
): void {
  const send = (msg: unknown): void => {
    if (process.connected) process.send?.(msg);
  };
  process.on('message', (raw) => {
    const msg = raw as { id: number; cmd: string; args?: Record<string, unknown> };
    const handler = handlers[msg.cmd];
    if (!handler) {
      send({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(msg.args ?? {}))
      .then(
        (result) => send({ id: msg.id, ok: true, result }),
        (err: unknown) =>
          send({
            id: msg.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          }),
      );
  });
  process.once('disconnect', () => {
    const done = onExit ? onExit().catch(() => undefined) : Promise.resolve();
    void done.then(() => process.exit(0));
  });
  send({ type: 'ready', ...ready });
}

export function argValue(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v !== undefined) return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`missing --${name}`);
}
