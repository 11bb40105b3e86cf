import { closeSync, constants as fsConstants, openSync } from "node:fs";
import type { ChildHandle, ProcessHandlers, SpawnRequest } from "./process-backend.ts";
import { killGroup, signalName } from "./process-backend.ts";

interface NodePtyTerminal {
  pid: number;
  ptsName?: string;
  onData(cb: (d: Buffer | string) => void): void;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): void;
  write(d: string | Buffer): void;
  resize(cols: number, rows: number): void;
  kill(sig?: string): void;
  destroy?(): void;
}
interface NodePtyModule {
  spawn(file: string, args: string[], opts: Record<string, unknown>): NodePtyTerminal;
}

let loaded: Promise<NodePtyModule> | undefined;

/** Loads @lydell/node-pty on first use; the specifier is a variable so Bun's compiler never bundles it. */
function loadNodePty(): Promise<NodePtyModule> {
  const specifier = "@lydell/node-pty";
  loaded ??= import(specifier).then((m) => (m.default ?? m) as NodePtyModule);
  return loaded;
}

/** After the child exits, wait for this much silence before declaring all output delivered. */
const DRAIN_QUIET_MS = 100;
const DRAIN_MAX_MS = 3000;

/**
 * node-pty under Node (and Deno). On Linux node-pty loses the tail of fast-exiting output: the master
 * sees EIO before libuv drained it. Holding our own descriptor on the slave side keeps the master
 * readable until we have seen a quiet period after the exit, then we let go (research §3a).
 */
export async function spawnNodePty(req: SpawnRequest, handlers: ProcessHandlers): Promise<ChildHandle> {
  const pty = await loadNodePty();
  const term = pty.spawn(req.argv[0]!, req.argv.slice(1), {
    name: req.env.TERM ?? "xterm-256color",
    cols: req.cols,
    rows: req.rows,
    cwd: req.cwd,
    env: req.env,
    encoding: null,
  });
  let slaveFd: number | undefined;
  try {
    if (term.ptsName) slaveFd = openSync(term.ptsName, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {}
  let lastData = Date.now();
  let exited = false;
  term.onData((d) => {
    lastData = Date.now();
    handlers.onData(typeof d === "string" ? Buffer.from(d) : d, "pty");
  });
  const releaseSlave = () => {
    if (slaveFd === undefined) return;
    try {
      closeSync(slaveFd);
    } catch {}
    slaveFd = undefined;
  };
  term.onExit(({ exitCode, signal }) => {
    if (exited) return;
    exited = true;
    const started = Date.now();
    const finish = () => {
      releaseSlave();
      handlers.onExit(signal ? { exitCode: null, signal: signalName(signal) } : { exitCode, signal: null });
    };
    const tick = () => {
      const now = Date.now();
      if (now - lastData >= DRAIN_QUIET_MS || now - started >= DRAIN_MAX_MS) finish();
      else setTimeout(tick, DRAIN_QUIET_MS - (now - lastData));
    };
    setTimeout(tick, DRAIN_QUIET_MS);
  });
  return {
    pid: term.pid,
    pgid: term.pid,
    isTty: true,
    write: (data) => {
      if (!exited) term.write(Buffer.from(data));
    },
    resize: (cols, rows) => {
      if (!exited) term.resize(cols, rows);
    },
    kill: (sig) => killGroup(term.pid, term.pid, sig),
    dispose: () => {
      releaseSlave();
      try {
        term.destroy?.();
      } catch {}
    },
  };
}
