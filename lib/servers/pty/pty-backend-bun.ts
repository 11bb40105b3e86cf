import type { ChildHandle, ProcessHandlers, SpawnRequest } from "./process-backend.ts";
import { killGroup } from "./process-backend.ts";

interface BunTerminal {
  write(data: string | Uint8Array): number;
  resize(cols: number, rows: number): void;
  close(): void;
}
interface BunSubprocess {
  pid: number;
  terminal?: BunTerminal;
  exited: Promise<number>;
  exitCode: number | null;
  signalCode: string | null;
}
interface BunGlobal {
  spawn(argv: string[], opts: Record<string, unknown>): BunSubprocess;
}

/** Bun's built-in PTY (also inside `bun build --compile` executables): no tail loss, working writes. */
export async function spawnBunPty(req: SpawnRequest, handlers: ProcessHandlers): Promise<ChildHandle> {
  const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
  let exited = false;
  const proc = bun.spawn(req.argv, {
    cwd: req.cwd,
    env: req.env,
    terminal: {
      cols: req.cols,
      rows: req.rows,
      data: (_term: unknown, bytes: Uint8Array) => handlers.onData(Buffer.from(bytes), "pty"),
    },
  });
  void proc.exited.then(() => {
    exited = true;
    // A signal death shows as 128+n in exitCode on some paths; signalCode is the truth.
    handlers.onExit(
      proc.signalCode
        ? { exitCode: null, signal: proc.signalCode }
        : { exitCode: proc.exitCode ?? 0, signal: null },
    );
  });
  return {
    pid: proc.pid,
    pgid: proc.pid,
    isTty: true,
    write: (data) => {
      if (!exited) proc.terminal?.write(data);
    },
    resize: (cols, rows) => {
      if (!exited) proc.terminal?.resize(cols, rows);
    },
    kill: (sig) => killGroup(proc.pid, proc.pid, sig),
    dispose: () => {
      try {
        proc.terminal?.close();
      } catch {}
    },
  };
}
