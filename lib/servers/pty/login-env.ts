import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Logger } from "../../core/log.ts";
import { findOnPath } from "./command-check.ts";
import { killGroup } from "./process-backend.ts";

/**
 * How spawned commands get the user's login environment (PTY_MCP_LOGIN_SHELL):
 * - `once` (default): one login shell per server start reports its environment; every spawn runs
 *   `bash -c` in it. A slow or fragile profile is paid once, in the background.
 * - `per-spawn`: every spawn is `bash -lc` (pty-mcp's behaviour; the profile runs each time).
 * - `off`: `bash -c` in the server's own environment; no profile at all.
 */
export type LoginShellMode = "once" | "per-spawn" | "off";

export type LoginEnvState = "pending" | "ready" | "fallback" | "off";

/** Variables that describe the capture shell itself, not the user's environment. */
const SHELL_LOCAL = new Set(["_", "SHLVL", "PWD", "OLDPWD"]);

export function parseLoginEnv(output: Buffer, marker: string): Record<string, string> | undefined {
  const at = output.indexOf(`${marker}\n`);
  if (at < 0) return undefined;
  const body = output.subarray(at + marker.length + 1).toString("utf8");
  // `env -0` separates entries with NUL (values may hold newlines); plain `env` with newlines.
  const entries = body.includes("\0") ? body.split("\0") : body.split("\n");
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || SHELL_LOCAL.has(name)) continue;
    env[name] = entry.slice(eq + 1);
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

/**
 * Captures the login environment once, in the background, so the MCP handshake never waits for it.
 * Spawns wait for it (up to the timeout). The capture shell runs in its own process group with stdin
 * closed and is never signalled while it may still be working: only a profile that is still running
 * after `timeoutMs` is treated as hung (then its group is ended and spawns use the server's
 * environment). Killing a profile mid-run is what leaves lock files behind (pyenv rehash).
 */
export class LoginEnvironment {
  state: LoginEnvState;
  /** Why the server environment is used instead (fallback), for status and the one-line warning. */
  reason: string | null = null;
  durationMs: number | null = null;
  private env: Record<string, string> | undefined;
  private readonly done: Promise<void>;
  private pid = 0;
  private readonly startedAt = Date.now();

  constructor(
    readonly mode: LoginShellMode,
    private readonly serverEnv: Record<string, string | undefined>,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {
    this.state = mode === "once" ? "pending" : "off";
    this.done = mode === "once" ? this.capture() : Promise.resolve();
  }

  /**
   * The environment spawns start from: the captured login environment, or the server's own when the
   * mode is not `once` or the capture failed.
   */
  async base(): Promise<Record<string, string>> {
    await this.done;
    if (this.env) return { ...this.env };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.serverEnv)) if (v !== undefined) env[k] = v;
    return env;
  }

  /** For status reporting. */
  describe(): Record<string, unknown> {
    return { mode: this.mode, state: this.state, duration_ms: this.durationMs, reason: this.reason };
  }

  private capture(): Promise<void> {
    const marker = `__MCPKIT_LOGIN_ENV_${randomBytes(8).toString("hex")}__`;
    const shell = findOnPath("bash", this.serverEnv.PATH) ?? "/bin/sh";
    // Noise a profile prints comes before the marker and is ignored; stdin is closed so a profile that
    // asks for input gets EOF instead of hanging.
    const script = `printf '%s\\n' '${marker}'; env -0 2>/dev/null || env`;
    return new Promise<void>((resolve) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const settle = (env: Record<string, string> | undefined, reason: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.durationMs = Date.now() - this.startedAt;
        this.env = env;
        this.state = env ? "ready" : "fallback";
        this.reason = reason;
        if (!env) {
          this.log.warn(
            `login environment unavailable (${reason}); spawned commands use the server's environment (PTY_MCP_LOGIN_SHELL=per-spawn runs the profile per spawn instead)`,
          );
        } else {
          this.log.debug("login environment captured", {
            ms: this.durationMs,
            vars: Object.keys(env).length,
          });
        }
        resolve();
      };
      const child = spawn(shell, ["-l", "-c", script], {
        env: this.serverEnv,
        stdio: ["ignore", "pipe", "ignore"],
        detached: true,
        cwd: this.serverEnv.HOME || undefined,
      });
      this.pid = child.pid ?? 0;
      const timer = setTimeout(() => {
        settle(undefined, `the login shell was still running after ${Math.round(this.timeoutMs / 1000)} s`);
        // Hung: end its whole group so nothing of it outlives the server.
        if (this.pid > 0) killGroup(this.pid, this.pid, "SIGKILL");
      }, this.timeoutMs);
      timer.unref?.();
      child.stdout!.on("data", (d: Buffer) => chunks.push(d));
      child.once("error", (e) => settle(undefined, `cannot start ${shell}: ${e.message}`));
      child.once("close", (code, signal) => {
        const env = parseLoginEnv(Buffer.concat(chunks), marker);
        if (env) settle(env, null);
        else
          settle(
            undefined,
            `${shell} -l ${signal ? `was killed by ${signal}` : `exited ${code}`} before reporting`,
          );
      });
      // The server may exit while a slow profile still runs: let it finish on its own (see above).
      child.unref();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
    });
  }
}
