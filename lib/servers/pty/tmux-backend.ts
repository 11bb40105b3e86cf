import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  type FSWatcher,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ChildHandle, ExitInfo, ProcessHandlers, SpawnRequest } from "./process-backend.ts";
import { killGroup, pidAlive, signalName } from "./process-backend.ts";
import type { PtySession } from "./session.ts";
import type { TmuxClient } from "./tmux-client.ts";
import { type PersistedPane, TmuxState } from "./tmux-state.ts";

/** Holds the pane command until pipe-pane is in place, so not a byte of early output is missed. */
const GATE = 'while [ ! -e "$1" ]; do sleep 0.02; done; rm -f "$1"; shift; exec "$@"';
const DEAD_POLL_MS = 150;
const DRAIN_QUIET_MS = 100;
/** Consecutive polls without the pane (or without the server) before it counts as gone. */
const MISSES_BEFORE_GONE = 2;
/** Polls a dead pane may wait for its status before a process that is provably gone is given up on. */
const STATUS_WAIT_POLLS = 40;
/** Tries at creating a pane when tmux is between servers (see openPane). */
const SPAWN_ATTEMPTS = 5;
/** `#{pid}` is the tmux server's pid (the pane process's parent). */
const PANE_FORMAT = "#{pane_id} #{pane_pid} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pid}";

interface PaneRow {
  pid: number;
  dead: boolean;
  status: string;
  signal: string;
  serverPid: number;
}

function parsePaneRows(out: string): Map<string, PaneRow> {
  const rows = new Map<string, PaneRow>();
  for (const line of out.split("\n")) {
    const [id, pid, dead, status = "", signal = "", serverPid] = line.split(" ");
    if (!id?.startsWith("%")) continue;
    rows.set(id, { pid: Number(pid), dead: dead === "1", status, signal, serverPid: Number(serverPid) || 0 });
  }
  return rows;
}

/** The exit tmux recorded for a dead pane, or null while tmux has not reaped it yet. */
function exitFromRow(row: PaneRow): ExitInfo | null {
  if (/^\d+$/.test(row.signal)) return { exitCode: null, signal: signalFromNumber(Number(row.signal)) };
  if (/^\d+$/.test(row.status)) return { exitCode: Number(row.status), signal: null };
  return null;
}

/**
 * The exit status of an unreaped child of the tmux server, straight from the kernel (Linux
 * /proc/<pid>/stat: state Z, parent = the server, field 52 = the wait status); null otherwise.
 */
function zombieExit(pid: number, serverPid: number): ExitInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (f[0] !== "Z" || Number(f[1]) !== serverPid || f.length < 50) return null;
  const status = Number(f[49]);
  if (!Number.isInteger(status)) return null;
  const sig = status & 0x7f;
  return sig
    ? { exitCode: null, signal: signalFromNumber(sig) }
    : { exitCode: (status >> 8) & 0xff, signal: null };
}

/** True when a tmux client error means there is no server behind our socket any more. */
function serverGone(message: string): boolean {
  return /no server running|error connecting|server exited|lost server/i.test(message);
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}

export function tmuxSessionName(sessionId: string, owner: string | null, workspace: string | null): string {
  if (!workspace) return `s_${sessionId}`;
  const h = createHash("sha256")
    .update(`${owner ?? ""}\0${workspace}`)
    .digest("hex")
    .slice(0, 8);
  return `ws_${safeName(owner ?? "")}_${safeName(workspace)}_${h}`;
}

/** Follows a pane's pipe-pane log file and reports growth (inotify, plus a slow safety poll). */
class LogTail {
  private pos = 0;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout;
  lastData = Date.now();

  constructor(
    private readonly path: string,
    private readonly onData: (chunk: Buffer) => void,
  ) {
    try {
      this.watcher = watch(path, () => this.pump());
      this.watcher.on("error", () => {});
    } catch {}
    this.timer = setInterval(() => this.pump(), 100);
    this.timer.unref?.();
  }

  pump(): void {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return;
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.pos);
        if (n <= 0) break;
        this.pos += n;
        this.lastData = Date.now();
        this.onData(Buffer.from(buf.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
  }

  stop(): void {
    this.pump();
    clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = null;
  }
}

interface LivePane {
  session: PtySession;
  paneId: string;
  /** The pane's process (tmux's direct child); with paneId it identifies the pane across tmux servers. */
  pid: number;
  tmuxSession: string;
  tail: LogTail;
  handlers: ProcessHandlers;
  exited: boolean;
  /** Polls that saw the pane dead but without an exit status yet. */
  statusWaits?: number;
  /** Consecutive polls that did not find the pane. */
  misses?: number;
}

/**
 * backend="tmux": one MCP session = one pane on a private tmux server. Output comes from pipe-pane into
 * a log file (byte-exact, survives our restarts), exit status from remain-on-exit + pane_dead_status.
 */
export class TmuxBackend {
  private readonly panes = new Map<string, LivePane>();
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private serverMisses = 0;
  readonly state: TmuxState;
  private readonly paneDir: string;

  constructor(
    readonly tmux: TmuxClient,
    stateDir: string,
    private readonly persist: boolean,
  ) {
    this.paneDir = join(stateDir, "panes");
    mkdirSync(this.paneDir, { recursive: true, mode: 0o700 });
    this.state = new TmuxState(join(stateDir, "tmux-sessions.json"));
  }

  logPath(sessionId: string): string {
    return join(this.paneDir, `${sessionId}.log`);
  }

  async spawn(session: PtySession, req: SpawnRequest, handlers: ProcessHandlers): Promise<ChildHandle> {
    const meta = session.meta;
    const name = tmuxSessionName(meta.id, meta.owner, meta.tmuxWorkspace);
    const gate = join(this.paneDir, `${meta.id}.gate`);
    const log = this.logPath(meta.id);
    writeFileSync(log, "", { mode: 0o600 });
    const envArgs = Object.entries(req.env)
      .filter(([k]) => !k.startsWith("TMUX"))
      .map(([k, v]) => `${k}=${v}`);
    const argv = ["env", "-i", ...envArgs, "sh", "-c", GATE, "gate", gate, ...req.argv];
    let paneId: string;
    let pid: number;
    try {
      [paneId, pid] = await this.openPane(name, meta.tmuxWorkspace !== null, req, argv);
      try {
        await this.tmux.run(["pipe-pane", "-t", paneId, `cat >> '${log.replaceAll("'", "'\\''")}'`]);
      } catch (e) {
        // The command is still held at the gate: nothing of it ran; do not leave the pane behind.
        await this.tmux.tryRun(["kill-pane", "-t", paneId]);
        throw e;
      }
    } catch (e) {
      rmSync(log, { force: true });
      throw e;
    }
    writeFileSync(gate, "");
    const pane = this.track(session, paneId, name, pid, handlers);
    if (this.persist && meta.name && meta.owner) this.save(session, paneId, name);
    return this.handle(pane, pid);
  }

  /**
   * Creates the pane: a split of the workspace's tmux session when it exists, else a new tmux session
   * (remain-on-exit on, so the exit status survives). tmux exits when its last session goes, so a spawn
   * right after a close can reach a server that is shutting down ("server exited unexpectedly"), and a
   * workspace session can vanish between has-session and split-window: both are retried.
   */
  private async openPane(
    name: string,
    shared: boolean,
    req: SpawnRequest,
    argv: string[],
  ): Promise<[paneId: string, pid: number]> {
    const fmt = ["-P", "-F", "#{pane_id} #{pane_pid}"];
    for (let attempt = 1; ; attempt++) {
      try {
        const exists = shared && (await this.tmux.tryRun(["has-session", "-t", `=${name}`])) !== undefined;
        const out = exists
          ? await this.tmux.run([
              "split-window",
              "-d",
              "-t",
              `=${name}:`,
              "-c",
              req.cwd,
              ...fmt,
              "--",
              ...argv,
            ])
          : await this.tmux.run([
              "new-session",
              "-d",
              "-s",
              name,
              "-x",
              String(req.cols),
              "-y",
              String(req.rows),
              "-c",
              req.cwd,
              ...fmt,
              "--",
              ...argv,
            ]);
        const [paneId, pidText] = out.trim().split(" ");
        if (!paneId?.startsWith("%")) throw new Error(`tmux: unexpected pane line '${out.trim()}'`);
        if (exists) await this.tmux.tryRun(["select-layout", "-t", `=${name}:`, "tiled"]);
        else {
          try {
            await this.tmux.run(["set-option", "-w", "-t", `=${name}:`, "remain-on-exit", "on"]);
          } catch (e) {
            await this.tmux.tryRun(["kill-pane", "-t", paneId]);
            throw e;
          }
        }
        return [paneId, Number(pidText)];
      } catch (e) {
        const msg = (e as Error).message;
        const retry = serverGone(msg) || /can't find (session|window)|duplicate session/i.test(msg);
        if (!retry || attempt >= SPAWN_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  private track(
    session: PtySession,
    paneId: string,
    tmuxSession: string,
    pid: number,
    handlers: ProcessHandlers,
  ): LivePane {
    const tail = new LogTail(this.logPath(session.id), (chunk) => handlers.onData(chunk, "pty"));
    const pane: LivePane = { session, paneId, pid, tmuxSession, tail, handlers, exited: false };
    this.panes.set(session.id, pane);
    this.ensurePoller();
    return pane;
  }

  private handle(pane: LivePane, pid: number): ChildHandle {
    return {
      pid,
      pgid: pid,
      isTty: true,
      write: (data) => {
        if (pane.exited) return;
        const hex = [...Buffer.from(data)].map((b) => b.toString(16).padStart(2, "0"));
        // One send-keys per 256 bytes keeps the command line short; order is kept by chaining.
        let chain = Promise.resolve<unknown>(undefined);
        for (let i = 0; i < hex.length; i += 256) {
          const part = hex.slice(i, i + 256);
          chain = chain.then(() => this.tmux.tryRun(["send-keys", "-t", pane.paneId, "-H", ...part]));
        }
      },
      resize: (cols, rows) => {
        if (pane.session.meta.tmuxWorkspace)
          void this.tmux.tryRun(["resize-pane", "-t", pane.paneId, "-x", String(cols), "-y", String(rows)]);
        else
          void this.tmux.tryRun([
            "resize-window",
            "-t",
            `=${pane.tmuxSession}:`,
            "-x",
            String(cols),
            "-y",
            String(rows),
          ]);
      },
      kill: (sig) => killGroup(pid, pid, sig),
      dispose: () => {
        pane.tail.stop();
      },
    };
  }

  private ensurePoller(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.pollDead(), DEAD_POLL_MS);
    this.poller.unref?.();
  }

  /**
   * One look at every live pane. Not re-entrant: a slow tmux call must not let two polls judge the same
   * pane from different snapshots.
   */
  private async pollDead(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.pollOnce();
    } finally {
      this.polling = false;
    }
  }

  private async pollOnce(): Promise<void> {
    const live = () => [...this.panes.values()].filter((p) => !p.exited);
    if (live().length === 0) {
      if (this.poller) clearInterval(this.poller);
      this.poller = null;
      return;
    }
    let out: string;
    try {
      out = await this.tmux.run(["list-panes", "-a", "-F", PANE_FORMAT]);
      this.serverMisses = 0;
    } catch (e) {
      // A failed call is not evidence that a pane died; only a server that is really gone (twice in a
      // row) ends its panes, and then with the status honestly unknown.
      if (!serverGone((e as Error).message) || ++this.serverMisses < MISSES_BEFORE_GONE) return;
      for (const p of live()) this.finish(p, { exitCode: null, signal: null, reason: "tmux_exited" });
      return;
    }
    const rows = parsePaneRows(out);
    let nudge = 0;
    for (const p of live()) {
      const row = rows.get(p.paneId);
      // Pane ids restart at %0 on a new tmux server; a row with another pid is another pane.
      if (!row || row.pid !== p.pid) {
        p.misses = (p.misses ?? 0) + 1;
        if (p.misses >= MISSES_BEFORE_GONE)
          this.finish(p, { exitCode: null, signal: null, reason: "pane_vanished" });
        continue;
      }
      p.misses = 0;
      if (!row.dead) continue;
      const info = exitFromRow(row) ?? zombieExit(p.pid, row.serverPid);
      if (info) {
        this.finish(p, info);
        continue;
      }
      // The pane's terminal closed but tmux has not reaped the child. tmux's libutempter call in the
      // pane-teardown path swaps in its own SIGCHLD handler for a moment, and a child that exits in that
      // window leaves a zombie tmux never hears about. Any SIGCHLD makes tmux reap all its children.
      if (row.serverPid > 0) nudge = row.serverPid;
      p.statusWaits = (p.statusWaits ?? 0) + 1;
      // Give up only when the process is provably gone and tmux still has no status for it (a process
      // that merely closed its terminal is still running, and is reported as running).
      if (p.statusWaits >= STATUS_WAIT_POLLS && !pidAlive(p.pid)) {
        this.finish(p, { exitCode: null, signal: null, reason: "pane_vanished" });
      }
    }
    if (nudge) {
      try {
        process.kill(nudge, "SIGCHLD");
      } catch {}
    }
  }

  /** Reports the exit once the pane's output has drained into the log. */
  private finish(p: LivePane, info: ExitInfo): void {
    if (p.exited) return;
    p.exited = true;
    const tick = () => {
      p.tail.pump();
      if (Date.now() - p.tail.lastData >= DRAIN_QUIET_MS) {
        p.tail.stop();
        p.handlers.onExit(info);
      } else setTimeout(tick, DRAIN_QUIET_MS);
    };
    setTimeout(tick, DRAIN_QUIET_MS);
  }

  private save(session: PtySession, paneId: string, tmuxSession: string): void {
    const m = session.meta;
    this.state.put({
      session_id: m.id,
      name: m.name!,
      owner: m.owner!,
      tmux_workspace: m.tmuxWorkspace,
      tmux_session: tmuxSession,
      pane_id: paneId,
      command: m.command,
      cwd: m.cwd,
      cols: m.cols,
      rows: m.rows,
      tag: m.tag,
      scope: m.scope,
      tty_mode: m.ttyMode,
      created_at: m.createdAt,
      audit: session.audit,
    });
  }

  /** Re-persists a session's record (after lease changes), if it is a persisted one. */
  refresh(session: PtySession): void {
    const p = this.panes.get(session.id);
    if (p && this.persist && session.meta.name && session.meta.owner)
      this.save(session, p.paneId, p.tmuxSession);
  }

  /** Persisted sessions survive a server exit (detached) so pty_recover can pick them up. */
  keepOnShutdown(s: PtySession): boolean {
    return this.persist && s.meta.backend === "tmux" && Boolean(s.meta.name && s.meta.owner) && s.running;
  }

  /** The session left the manager: its pane and log go too. */
  async removed(s: PtySession): Promise<void> {
    const pane = this.panes.get(s.id);
    this.panes.delete(s.id);
    this.state.remove(s.id);
    if (pane) {
      pane.tail.stop();
      await this.tmux.tryRun(["kill-pane", "-t", pane.paneId]);
    }
    rmSync(this.logPath(s.id), { force: true });
  }

  async shutdown(kept: PtySession[]): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    for (const s of kept) {
      const p = this.panes.get(s.id);
      if (p) this.save(s, p.paneId, p.tmuxSession);
    }
    const keptIds = new Set(kept.map((s) => s.id));
    for (const [id, p] of this.panes) {
      p.tail.stop();
      if (!keptIds.has(id)) {
        await this.tmux.tryRun(["kill-pane", "-t", p.paneId]);
        this.state.remove(id);
        rmSync(this.logPath(id), { force: true });
      }
    }
    this.panes.clear();
    if (kept.length === 0) await this.tmux.tryRun(["kill-server"]);
  }

  /**
   * Rebuilds the persisted panes of `name` (and, for a shared workspace, of its whole group) as live
   * sessions. All-or-nothing: if any pane of the group is gone, nothing is recovered.
   */
  async recover(
    name: string,
    owner: string,
    adopt: (entry: PersistedPane, paneAlive: boolean) => PtySession,
    isLive: (id: string) => boolean,
  ): Promise<PtySession[]> {
    const entry = this.state.all().find((e) => e.name === name && e.owner === owner);
    if (!entry) throw new Error(`no persisted tmux session named '${name}' for this owner`);
    const group = entry.tmux_workspace
      ? this.state.all().filter((e) => e.owner === owner && e.tmux_workspace === entry.tmux_workspace)
      : [entry];
    if (group.some((e) => isLive(e.session_id))) {
      throw new Error(`session '${name}' is already live in this server; use pty_resume`);
    }
    const rows = parsePaneRows((await this.tmux.tryRun(["list-panes", "-a", "-F", PANE_FORMAT])) ?? "");
    const missing = group.filter((e) => !rows.has(e.pane_id) || !existsSync(this.logPath(e.session_id)));
    if (missing.length > 0) {
      throw new Error(
        `cannot recover '${name}': ${missing.length} of ${group.length} persisted pane(s) are gone; nothing was recovered`,
      );
    }
    const sessions: PtySession[] = [];
    for (const e of group) {
      const row = rows.get(e.pane_id)!;
      const s = adopt(e, !row.dead);
      const handlers: ProcessHandlers = {
        onData: (c, st) => s.onChildData(c, st),
        onExit: (i) => s.onChildExit(i),
      };
      const pane = this.track(s, e.pane_id, e.tmux_session, row.pid, handlers);
      s.attach(this.handle(pane, row.pid));
      // A dead pane with its status is finished now; one without it is left to the poller.
      const info = row.dead ? exitFromRow(row) : null;
      if (info) this.finish(pane, info);
      sessions.push(s);
    }
    return sessions;
  }

  logSize(id: string): number {
    try {
      return statSync(this.logPath(id)).size;
    } catch {
      return 0;
    }
  }
}

function signalFromNumber(n: number): string {
  return signalName(n) ?? `SIG${n}`;
}
