/**
 * Everything a bench starts (database server, child processes, temp dirs, pools) registers how to
 * undo it here, so that a failing section, a thrown error or Ctrl-C still stops servers and removes
 * temp dirs. Undone in reverse order of creation, each step on its own so one failure does not
 * leave the rest running.
 */
export class Scope {
  private readonly steps: Array<{ what: string; undo: () => unknown }> = [];
  private closing: Promise<void> | undefined;

  constructor(readonly name: string) {}

  /** Registers `undo` and returns `value`, to write `const x = scope.add(await start(), ...)`. */
  add<T>(value: T, what: string, undo: (value: T) => unknown): T {
    this.steps.push({ what, undo: () => undo(value) });
    return value;
  }

  defer(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop();
        if (!step) break;
        try {
          await step.undo();
        } catch (err) {
          process.stderr.write(
            `bench: cleanup of ${step.what} (${this.name}) failed: ${String(err)}\n`,
          );
        }
      }
    })();
    return this.closing;
  }
}

/** Runs `fn` with a fresh scope that is always closed afterwards. */
export async function withScope<T>(name: string, fn: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope(name);
  openScopes.add(scope);
  try {
    return await fn(scope);
  } finally {
    await scope.close();
    openScopes.delete(scope);
  }
}

const openScopes = new Set<Scope>();

/** Closes every scope still open, innermost first: for signal handlers. */
export async function closeAllScopes(): Promise<void> {
  for (const scope of [...openScopes].reverse()) await scope.close();
}
