import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "../../core/log.ts";
import { ToolError } from "../../core/tools/define-tool.ts";
import { findOnPath, inferredCwd, missingProgram } from "./command-check.ts";
import type { Backend, Limits, PtyConfig, TtyMode } from "./config.ts";
import { LoginEnvironment } from "./login-env.ts";
import { spawnWithPipes } from "./pipe-backend.ts";
import type { ChildHandle, ProcessHandlers, SpawnRequest } from "./process-backend.ts";
import { spawnInPty } from "./pty-backend.ts";
import { ScreenModel } from "./screen.ts";
import { newSessionId, PtySession } from "./session.ts";
import { SessionLog } from "./session-log.ts";
import type { ExitReason, Scope } from "./session-types.ts";

export interface SpawnParams {
  command: string;
  cwd?: string | null;
  cols: number;
  rows: number;
  separate_streams: boolean;
  tag?: string | null;
  owner?: string | null;
  name?: string | null;
  scope: Scope;
  max_output_bytes?: number | null;
  spawn_timeout_sec?: number | null;
  rate_limit_bps?: number | null;
  input_rate_bps?: number | null;
  read_timeout_ms?: number | null;
  env?: Record<string, string | null> | null;
  backend?: Backend | null;
  tmux_workspace?: string | null;
  tty_mode?: TtyMode | null;
}

/** Opens the child for a tmux-backed session (provided by the tmux backend when available). */
export type TmuxSpawner = (
  session: PtySession,
  req: SpawnRequest,
  handlers: ProcessHandlers,
) => Promise<ChildHandle>;

const SCREEN_SCROLLBACK = 1000;

/** Owns every session of the app: spawn, lookup, retention/GC, limits, shutdown. */
export class SessionManager {
  readonly sessions = new Map<string, PtySession>();
  private readonly closedIds = new Set<string>();
  defaultCwd: string | null = null;
  readonly limits: Limits;
  readonly startedAt = Date.now();
  private gcTimer: NodeJS.Timeout;
  tmuxSpawner: TmuxSpawner | null = null;
  /** The user's login environment, captured in the background at start (PTY_MCP_LOGIN_SHELL=once). */
  readonly loginEnv: LoginEnvironment;
  /** Called after a session is removed (tmux bookkeeping). */
  onRemoved: ((s: PtySession) => void) | null = null;

  constructor(
    readonly config: PtyConfig,
    private readonly log: Logger,
  ) {
    this.limits = { ...config.limits };
    this.loginEnv = new LoginEnvironment(config.loginShell, process.env, config.loginEnvTimeoutMs, log);
    this.gcTimer = setInterval(() => this.gc(), config.gcIntervalSec * 1000);
    this.gcTimer.unref?.();
  }

  // ---- lookup ------------------------------------------------------------------------------------

  get(id: string): PtySession {
    const s = this.sessions.get(id);
    if (s) return s;
    if (this.closedIds.has(id)) throw new ToolError(`unknown session_id: ${id} was already closed`);
    throw new ToolError(`unknown session_id: ${id} (see pty_list for live sessions)`);
  }

  list(): PtySession[] {
    return [...this.sessions.values()];
  }

  findByName(name: string, owner: string | null): PtySession[] {
    return this.list().filter((s) => s.meta.name === name && (owner === null || s.meta.owner === owner));
  }

  // ---- spawn -------------------------------------------------------------------------------------

  /** `base` (the login environment, or the server's), then the caller's overrides, then terminal defaults. */
  buildEnv(
    overrides: Record<string, string | null> | null | undefined,
    base: Record<string, string>,
  ): Record<string, string> {
    const env = { ...base };
    for (const [k, v] of Object.entries(overrides ?? {})) env[k] = v ?? "";
    env.TERM ||= "xterm-256color";
    env.COLORTERM ||= "truecolor";
    env.LANG ||= "C.UTF-8";
    env.LC_ALL ||= env.LANG;
    return env;
  }

  resolveCwd(command: string, cwd: string | null | undefined): string {
    const chosen = cwd ?? this.defaultCwd ?? inferredCwd(command) ?? process.cwd();
    const abs = resolve(chosen);
    let ok = false;
    try {
      ok = statSync(abs).isDirectory();
    } catch {}
    if (!ok) throw new ToolError(`cwd does not exist or is not a directory: ${chosen}`);
    return abs;
  }

  private makeRoom(): void {
    if (this.sessions.size < this.config.maxSessions) return;
    const exited = this.list()
      .filter((s) => !s.running)
      .sort((a, b) => a.exit!.endedAt - b.exit!.endedAt);
    while (this.sessions.size >= this.config.maxSessions && exited.length > 0) this.remove(exited.shift()!);
    if (this.sessions.size >= this.config.maxSessions) {
      throw new ToolError(
        `too many sessions (max ${this.config.maxSessions}); close one with pty_close first`,
      );
    }
  }

  async spawn(p: SpawnParams): Promise<PtySession> {
    const command = p.command;
    if (!command.trim()) throw new ToolError("command is required");
    // Waits only while the one-time login capture still runs (bounded by its timeout).
    const baseEnv = await this.loginEnv.base();
    this.gc();
    const backend = p.backend ?? this.config.backend;
    if (backend === "tmux" && p.separate_streams) {
      throw new ToolError("separate_streams is not supported with backend 'tmux'");
    }
    if (p.tmux_workspace && backend !== "tmux") throw new ToolError("tmux_workspace needs backend 'tmux'");
    if (backend === "tmux" && !this.tmuxSpawner)
      throw new ToolError("backend 'tmux' is not available (tmux not found)");
    if (p.name) {
      const clash = this.findByName(p.name, p.owner ?? null).find((s) => s.running);
      if (clash)
        throw new ToolError(
          `a running session named '${p.name}' already exists for this owner (use pty_resume)`,
        );
    }
    this.makeRoom();
    const cwd = this.resolveCwd(command, p.cwd);
    const env = this.buildEnv(p.env, baseEnv);
    const perSpawnLogin = this.config.loginShell === "per-spawn";
    // With per-spawn login shells the PATH the command will see is only known once the profile ran.
    const missing = perSpawnLogin ? undefined : missingProgram(command, env, cwd);
    if (missing) {
      throw new ToolError(
        `command not found: ${missing} (not a shell builtin, not on the login shell's PATH${this.loginEnv.state === "fallback" ? "; the login environment could not be read, so the server's PATH was used" : ""})`,
      );
    }
    const ttyMode = p.tty_mode ?? this.config.ttyMode;

    const session = new PtySession(
      {
        id: newSessionId(),
        command,
        cwd,
        cols: p.cols,
        rows: p.rows,
        tag: p.tag ?? null,
        owner: p.owner ?? null,
        name: p.name ?? null,
        scope: p.scope,
        separateStreams: p.separate_streams,
        backend,
        tmuxWorkspace: p.tmux_workspace ?? null,
        ttyMode,
        createdAt: Date.now(),
      },
      {
        max_output_bytes: p.max_output_bytes ?? this.limits.max_output_bytes,
        spawn_timeout_sec: p.spawn_timeout_sec ?? this.limits.spawn_timeout_sec,
        idle_timeout_sec: this.limits.idle_timeout_sec,
        read_timeout_ms: p.read_timeout_ms ?? this.limits.read_timeout_ms,
        rate_limit_bps: p.rate_limit_bps ?? this.limits.rate_limit_bps,
        input_rate_bps: p.input_rate_bps ?? this.limits.input_rate_bps,
      },
    );
    if (this.config.sessionLogDir) {
      try {
        session.log = new SessionLog(this.config.sessionLogDir, session.id);
      } catch (e) {
        this.log.warn("session log unavailable", { error: String(e) });
      }
    }
    const shell = findOnPath("bash", env.PATH) ?? findOnPath("bash", process.env.PATH) ?? "/bin/sh";
    const script =
      ttyMode === "raw" && !p.separate_streams ? `stty raw -echo 2>/dev/null; ${command}` : command;
    const argv = shell.endsWith("bash") && perSpawnLogin ? [shell, "-lc", script] : [shell, "-c", script];
    const req: SpawnRequest = { argv, cwd, env, cols: p.cols, rows: p.rows };
    const handlers: ProcessHandlers = {
      onData: (chunk, stream) => session.onChildData(chunk, stream),
      onExit: (info) => session.onChildExit(info),
    };
    let handle: ChildHandle;
    try {
      if (backend === "tmux") handle = await this.tmuxSpawner!(session, req, handlers);
      else if (p.separate_streams) handle = await spawnWithPipes(req, handlers);
      else handle = await spawnInPty(req, handlers);
    } catch (e) {
      session.log?.close();
      throw new ToolError(`spawn failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    session.attach(handle);
    if (this.config.echoFilter && handle.isTty) session.enableEchoFilter();
    this.sessions.set(session.id, session);
    if (session.limits.spawn_timeout_sec > 0) {
      session.addTimer(
        setTimeout(
          () => void session.terminate("timeout", this.config.killGraceMs),
          session.limits.spawn_timeout_sec * 1000,
        ),
      );
    }
    return session;
  }

  /** Registers a session rebuilt outside spawn (pty_recover). */
  adopt(session: PtySession): void {
    this.makeRoom();
    this.sessions.set(session.id, session);
  }

  /** The rendered screen of a session, created on first use and replayed from the history held. */
  async screen(session: PtySession): Promise<ScreenModel> {
    if (!session.screen) {
      const screen = await ScreenModel.create(session.meta.cols, session.meta.rows, SCREEN_SCROLLBACK);
      if (session.screen) {
        screen.dispose();
        return session.screen;
      }
      const ring = session.rings.pty;
      screen.write(ring.read(ring.startOffset, ring.size, { allowPartialTail: true }).data);
      session.screen = screen;
    }
    return session.screen;
  }

  resize(session: PtySession, cols: number, rows: number): void {
    session.meta.cols = cols;
    session.meta.rows = rows;
    session.handle?.resize(cols, rows);
    session.screen?.resize(cols, rows);
    session.log?.event("resize", { cols, rows });
  }

  // ---- ending ------------------------------------------------------------------------------------

  async close(session: PtySession, reason: ExitReason = "killed"): Promise<void> {
    session.log?.event("close", { running: session.running });
    await session.terminate(reason, this.config.killGraceMs);
    this.remove(session);
  }

  private remove(session: PtySession): void {
    if (!this.sessions.delete(session.id)) return;
    this.closedIds.add(session.id);
    if (this.closedIds.size > 1000) this.closedIds.delete(this.closedIds.values().next().value!);
    session.dispose();
    this.onRemoved?.(session);
  }

  async closeAll(filter: (s: PtySession) => boolean = () => true): Promise<number> {
    const targets = this.list().filter(filter);
    await Promise.all(targets.map((s) => this.close(s)));
    return targets.length;
  }

  /** Drops exited sessions past retention; ends running sessions idle past the idle timeout. */
  gc(): void {
    const now = Date.now();
    const keepMs = Math.max(this.config.exitedRetentionSec, this.config.idleGraceSec) * 1000;
    for (const s of this.list()) {
      if (!s.running) {
        if (now - Math.max(s.exit!.endedAt, s.lastActive) > keepMs) this.remove(s);
      } else if (s.limits.idle_timeout_sec > 0) {
        const idleMs = (s.limits.idle_timeout_sec + this.config.idleGraceSec) * 1000;
        if (now - s.lastActive > idleMs && s.pendingReason === null) {
          void s.terminate("idle", this.config.killGraceMs);
        }
      }
    }
  }

  applyLimits(limits: Partial<Limits>): void {
    Object.assign(this.limits, limits);
    for (const s of this.list()) s.applyLimits(limits);
  }

  /** Ends every session except those `keep` says survive (persisted tmux panes). */
  async shutdown(keep: (s: PtySession) => boolean = () => false): Promise<void> {
    clearInterval(this.gcTimer);
    await Promise.all(
      this.list().map(async (s) => {
        if (keep(s) && s.running) {
          s.dispose();
          return;
        }
        await s.terminate("killed", Math.min(this.config.killGraceMs, 1000));
        s.dispose();
      }),
    );
    this.sessions.clear();
  }
}
