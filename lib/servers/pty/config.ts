import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SettingValues } from "../../core/settings/declare.ts";
import type { LoginShellMode } from "./login-env.ts";
import type { PtySettings } from "./settings.ts";

/** Limits that `set_limits` can change at run time (and that it also rewrites on live sessions). */
export interface Limits {
  max_output_bytes: number;
  spawn_timeout_sec: number;
  idle_timeout_sec: number;
  read_timeout_ms: number;
  rate_limit_bps: number;
  input_rate_bps: number;
}

export type Backend = "subprocess" | "tmux";
export type TtyMode = "cooked" | "raw";

export interface PtyConfig {
  limits: Limits;
  maxSessions: number;
  idleGraceSec: number;
  gcIntervalSec: number;
  maxChars: number;
  readChunkBytes: number;
  readUntilMaxMs: number;
  quiescenceMs: number;
  sessionLogDir: string | undefined;
  backend: Backend;
  ttyMode: TtyMode;
  dangerousTtlSec: number;
  /** Raw `;`-separated override of the built-in dangerous patterns, or undefined for the defaults. */
  dangerousPatterns: string[] | undefined;
  dangerousLegacyMode: boolean;
  requireOwner: boolean;
  enableAdminTools: boolean;
  enableControlTools: boolean;
  spawnMeta: boolean;
  exitedRetentionSec: number;
  killGraceMs: number;
  stateDir: string;
  tmuxBin: string;
  tmuxPersist: boolean;
  /** Patterns and quiescence ignore the echo of typed input (PTY_MCP_ECHO_FILTER, default on). */
  echoFilter: boolean;
  /** Where spawns get the login environment from (login-env.ts): once per start, per spawn, or not at all. */
  loginShell: LoginShellMode;
  /** How long spawns wait for the login environment; a login shell still running then counts as hung. */
  loginEnvTimeoutMs: number;
}

/**
 * The pty app's configuration from its resolved settings (settings.ts, resolved once by the CLI); `env`
 * only supplies the base of the default state dir.
 */
export function ptyConfig(v: SettingValues<PtySettings>, env: Record<string, string | undefined>): PtyConfig {
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  return {
    limits: {
      max_output_bytes: v.ringMaxBytes,
      spawn_timeout_sec: v.spawnTimeoutSec,
      idle_timeout_sec: v.idleTimeoutSec,
      read_timeout_ms: v.readTimeoutMs,
      rate_limit_bps: v.outputRateBps,
      input_rate_bps: v.inputRateBps,
    },
    maxSessions: v.maxSessions,
    idleGraceSec: v.idleGraceSec,
    gcIntervalSec: v.gcIntervalSec,
    maxChars: v.maxChars,
    readChunkBytes: v.readChunkBytes,
    readUntilMaxMs: v.readUntilMaxMs,
    quiescenceMs: v.quiescenceMs,
    sessionLogDir: v.sessionLogDir,
    backend: v.backend,
    ttyMode: v.ttyMode,
    dangerousTtlSec: v.dangerousConfirmTtlSec,
    dangerousPatterns: v.dangerousPatterns,
    dangerousLegacyMode: v.dangerousLegacyMode,
    requireOwner: v.requireOwner,
    enableAdminTools: v.enableAdminTools,
    enableControlTools: v.enableControlTools,
    spawnMeta: v.spawnMeta,
    exitedRetentionSec: v.exitedRetentionSec,
    killGraceMs: v.killGraceMs,
    stateDir: v.stateDir ?? join(env.XDG_RUNTIME_DIR || tmpdir(), `mcpkit-pty-${uid}`),
    tmuxBin: v.tmuxBin,
    tmuxPersist: v.tmuxPersist,
    loginShell: v.loginShell,
    loginEnvTimeoutMs: v.loginEnvTimeoutSec * 1000,
    echoFilter: v.echoFilter,
  };
}
