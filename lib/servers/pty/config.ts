import { tmpdir } from "node:os";
import { join } from "node:path";
import * as z from "zod";
import { envBoolStrict, readEnv } from "../../core/env.ts";
import { ConfigError } from "../../core/errors.ts";
import type { LoginShellMode } from "./login-env.ts";

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
  logLevel: string | undefined;
  logFormat: "text" | "json" | undefined;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: "expected a number" })
    .int({ message: "expected an integer" })
    .min(min, { message: `expected at least ${min}` })
    .max(max, { message: `expected at most ${max}` });

function boolVar(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  return envBoolStrict(name, env[name], fallback);
}

/** PTY_MCP_LOGIN_SHELL: once (default; also 1/true/yes/on), per-spawn, or off (also 0/false/no). */
function loginShellMode(value: string | undefined): LoginShellMode {
  const v = value?.trim().toLowerCase() ?? "";
  if (v === "" || v === "once" || ["1", "true", "yes", "on"].includes(v)) return "once";
  if (v === "per-spawn") return "per-spawn";
  if (["off", "0", "false", "no"].includes(v)) return "off";
  throw new ConfigError("PTY_MCP_LOGIN_SHELL: expected once, per-spawn or off");
}

/** Reads every PTY_MCP_* variable (defaults follow pty-mcp 0.2.0) plus the CLI flags that override them. */
export function loadConfig(env: Record<string, string | undefined>, options: Record<string, unknown> = {}) {
  const v = readEnv(env, {
    PTY_MCP_MAX_SESSIONS: int(1, 10_000).default(20),
    PTY_MCP_IDLE_TIMEOUT_SEC: int(0).default(900),
    PTY_MCP_IDLE_GRACE_SEC: int(0).default(0),
    PTY_MCP_GC_INTERVAL_SEC: int(1, 3600).default(5),
    PTY_MCP_RING_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(1_048_576),
    PTY_MCP_READ_TIMEOUT_MS: int(0, 600_000).default(300),
    PTY_MCP_MAX_CHARS: int(1, 16 * 1024 * 1024).default(8000),
    PTY_MCP_READ_CHUNK_BYTES: int(256, 1024 * 1024).default(4096),
    PTY_MCP_READ_UNTIL_MAX_MS: int(0, 3_600_000).default(60_000),
    PTY_MCP_SPAWN_TIMEOUT_SEC: int(0).default(0),
    PTY_MCP_OUTPUT_RATE_BPS: int(0).default(0),
    PTY_MCP_INPUT_RATE_BPS: int(0).default(0),
    PTY_MCP_QUIESCENCE_MS: int(1, 600_000).default(300),
    PTY_MCP_SESSION_LOG_DIR: z.string().optional(),
    PTY_MCP_BACKEND: z.enum(["subprocess", "tmux"], { message: "expected subprocess or tmux" }).optional(),
    PTY_MCP_TTY_MODE: z.enum(["cooked", "raw"], { message: "expected cooked or raw" }).default("cooked"),
    PTY_MCP_DANGEROUS_CONFIRM_TTL_SEC: int(1, 86_400).default(300),
    PTY_MCP_DANGEROUS_PATTERNS: z.string().optional(),
    PTY_MCP_EXITED_RETENTION_SEC: int(0).default(600),
    PTY_MCP_KILL_GRACE_MS: int(0, 60_000).default(1000),
    PTY_MCP_STATE_DIR: z.string().optional(),
    PTY_MCP_TMUX_BIN: z.string().default("tmux"),
    PTY_MCP_LOGIN_ENV_TIMEOUT_SEC: int(1, 600).default(20),
    PTY_MCP_LOG: z.string().optional(),
    PTY_MCP_LOG_FORMAT: z.enum(["plain", "text", "json"], { message: "expected plain or json" }).optional(),
  });

  const patterns = v.PTY_MCP_DANGEROUS_PATTERNS?.split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of patterns ?? []) {
    try {
      new RegExp(p);
    } catch {
      throw new ConfigError("PTY_MCP_DANGEROUS_PATTERNS: contains an invalid regular expression");
    }
  }
  const flag = (key: string) => (options[key] === true ? true : undefined);
  const backend = (options.backend as Backend | undefined) ?? v.PTY_MCP_BACKEND ?? "subprocess";
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;

  const config: PtyConfig = {
    limits: {
      max_output_bytes: v.PTY_MCP_RING_MAX_BYTES,
      spawn_timeout_sec: v.PTY_MCP_SPAWN_TIMEOUT_SEC,
      idle_timeout_sec: v.PTY_MCP_IDLE_TIMEOUT_SEC,
      read_timeout_ms: v.PTY_MCP_READ_TIMEOUT_MS,
      rate_limit_bps: v.PTY_MCP_OUTPUT_RATE_BPS,
      input_rate_bps: v.PTY_MCP_INPUT_RATE_BPS,
    },
    maxSessions: v.PTY_MCP_MAX_SESSIONS,
    idleGraceSec: v.PTY_MCP_IDLE_GRACE_SEC,
    gcIntervalSec: v.PTY_MCP_GC_INTERVAL_SEC,
    maxChars: v.PTY_MCP_MAX_CHARS,
    readChunkBytes: v.PTY_MCP_READ_CHUNK_BYTES,
    readUntilMaxMs: v.PTY_MCP_READ_UNTIL_MAX_MS,
    quiescenceMs: v.PTY_MCP_QUIESCENCE_MS,
    sessionLogDir: (options.sessionLogDir as string | undefined) ?? v.PTY_MCP_SESSION_LOG_DIR,
    backend,
    ttyMode: v.PTY_MCP_TTY_MODE,
    dangerousTtlSec: v.PTY_MCP_DANGEROUS_CONFIRM_TTL_SEC,
    dangerousPatterns: patterns && patterns.length > 0 ? patterns : undefined,
    dangerousLegacyMode: boolVar(env, "PTY_MCP_DANGEROUS_LEGACY_MODE", false),
    requireOwner: boolVar(env, "PTY_MCP_REQUIRE_OWNER", true),
    enableAdminTools: flag("enableAdminTools") ?? boolVar(env, "PTY_MCP_ENABLE_ADMIN_TOOLS", false),
    enableControlTools: flag("enableControlTools") ?? boolVar(env, "PTY_MCP_ENABLE_CONTROL_TOOLS", false),
    spawnMeta: boolVar(env, "PTY_MCP_SPAWN_META", false),
    exitedRetentionSec: v.PTY_MCP_EXITED_RETENTION_SEC,
    killGraceMs: v.PTY_MCP_KILL_GRACE_MS,
    stateDir: v.PTY_MCP_STATE_DIR ?? join(env.XDG_RUNTIME_DIR || tmpdir(), `mcpkit-pty-${uid}`),
    tmuxBin: v.PTY_MCP_TMUX_BIN,
    tmuxPersist: boolVar(env, "PTY_MCP_TMUX_PERSIST", true),
    loginShell: loginShellMode(env.PTY_MCP_LOGIN_SHELL),
    loginEnvTimeoutMs: v.PTY_MCP_LOGIN_ENV_TIMEOUT_SEC * 1000,
    echoFilter: boolVar(env, "PTY_MCP_ECHO_FILTER", true),
    logLevel: v.PTY_MCP_LOG,
    logFormat: v.PTY_MCP_LOG_FORMAT === "json" ? "json" : v.PTY_MCP_LOG_FORMAT ? "text" : undefined,
  };
  return config;
}
