import { bool, choice, custom, int, text } from "../../core/settings/declare.ts";

// Every setting of `mcpkit pty`: pty-mcp 0.2.0's PTY_MCP_* variables (same names and defaults) plus
// mcpkit's additions (marked `extension`). The README's settings table is generated from this list.

const LIMIT = 1024 * 1024 * 1024;

export const ptySettings = {
  maxSessions: int({
    env: ["PTY_MCP_MAX_SESSIONS"],
    default: 20,
    min: 1,
    max: 10_000,
    description:
      "live + retained sessions; the oldest finished ones are evicted first, then `too many sessions (max N)`",
  }),
  idleTimeoutSec: int({
    env: ["PTY_MCP_IDLE_TIMEOUT_SEC"],
    default: 900,
    min: 0,
    description: 'a running session untouched this long is ended (`exit_reason: "idle"`)',
  }),
  idleGraceSec: int({
    env: ["PTY_MCP_IDLE_GRACE_SEC"],
    default: 0,
    min: 0,
    description: "extra grace on top of the idle timeout and the retention",
  }),
  gcIntervalSec: int({
    env: ["PTY_MCP_GC_INTERVAL_SEC"],
    default: 5,
    min: 1,
    max: 3600,
    description: "how often retention and idle clean-up run",
  }),
  ringMaxBytes: int({
    env: ["PTY_MCP_RING_MAX_BYTES"],
    default: 1_048_576,
    min: 1024,
    max: LIMIT,
    description: "output history kept per stream",
  }),
  readTimeoutMs: int({
    env: ["PTY_MCP_READ_TIMEOUT_MS"],
    default: 300,
    min: 0,
    max: 600_000,
    description: "default wait of `pty_read` for the first byte",
  }),
  maxChars: int({
    env: ["PTY_MCP_MAX_CHARS"],
    default: 8000,
    min: 1,
    max: 16 * 1024 * 1024,
    description: "default `max_chars` of the reads (bytes)",
  }),
  readChunkBytes: int({
    env: ["PTY_MCP_READ_CHUNK_BYTES"],
    default: 4096,
    min: 256,
    max: 1024 * 1024,
    description: "accepted for compatibility (reads are event-driven)",
  }),
  readUntilMaxMs: int({
    env: ["PTY_MCP_READ_UNTIL_MAX_MS"],
    default: 60_000,
    min: 0,
    max: 3_600_000,
    description: "cap on the `timeout_ms` of `pty_read_until` and `pty_read_until_any`",
  }),
  spawnTimeoutSec: int({
    env: ["PTY_MCP_SPAWN_TIMEOUT_SEC"],
    default: 0,
    min: 0,
    description: "default run-time cap of a session (0 = none)",
  }),
  outputRateBps: int({
    env: ["PTY_MCP_OUTPUT_RATE_BPS"],
    default: 0,
    min: 0,
    description: "output rate limit (0 = none); the excess is dropped, counted and marked in the stream",
  }),
  inputRateBps: int({
    env: ["PTY_MCP_INPUT_RATE_BPS"],
    default: 0,
    min: 0,
    description: "input rate limit (0 = none)",
  }),
  quiescenceMs: int({
    env: ["PTY_MCP_QUIESCENCE_MS"],
    default: 300,
    min: 1,
    max: 600_000,
    description: "silence window of `pty_read_quiescent` and of `wait_ms`",
  }),
  sessionLogDir: text({
    flag: "--session-log-dir <dir>",
    env: ["PTY_MCP_SESSION_LOG_DIR"],
    description:
      "write `<dir>/<session_id>/transcript.log` and `events.jsonl` (spawn, write (size only), attach, detach, handoff, takeover, recover, resize, signal, exit, close)",
  }),
  backend: choice(["subprocess", "tmux"], {
    flag: "--backend <kind>",
    env: ["PTY_MCP_BACKEND"],
    default: "subprocess",
    description: "default backend of `pty_spawn`",
  }),
  dangerousConfirmTtlSec: int({
    env: ["PTY_MCP_DANGEROUS_CONFIRM_TTL_SEC"],
    default: 300,
    min: 1,
    max: 86_400,
    description: "lifetime of a dangerous-command confirmation token (and of an elicitation question)",
  }),
  dangerousPatterns: custom({
    env: ["PTY_MCP_DANGEROUS_PATTERNS"],
    defaultText: "built-ins",
    description:
      "`;`-separated regexes replacing the table in `dangerous-patterns.ts`; matched like pty-mcp (anywhere in the line as typed) and against each simple command; `{CMD}` = at a command position; an invalid regex stops start-up",
    schema: (z) =>
      z.string().transform((v) => {
        const patterns = v
          .split(";")
          .map((p) => p.trim())
          .filter(Boolean);
        return patterns.length ? patterns : undefined;
      }),
    check: (patterns: string[] | undefined) => {
      for (const p of patterns ?? []) {
        try {
          new RegExp(p);
        } catch {
          return "contains an invalid regular expression";
        }
      }
      return undefined;
    },
  }),
  dangerousLegacyMode: bool({
    env: ["PTY_MCP_DANGEROUS_LEGACY_MODE"],
    default: false,
    description: "accept `dangerous_confirmed` / `dangerous_justification` instead of a token",
  }),
  requireOwner: bool({
    env: ["PTY_MCP_REQUIRE_OWNER"],
    default: true,
    description: "`0` makes `owner` optional",
  }),
  enableAdminTools: bool({
    flag: "--enable-admin-tools",
    env: ["PTY_MCP_ENABLE_ADMIN_TOOLS"],
    default: false,
    description:
      "expose the admin tools: pty_close_all, set_limits, get_limits, set_default_cwd, get_default_cwd, pty_metrics, pty_health",
  }),
  enableControlTools: bool({
    flag: "--enable-control-tools",
    env: ["PTY_MCP_ENABLE_CONTROL_TOOLS"],
    default: false,
    description: "expose pty_signal",
  }),
  spawnMeta: bool({
    env: ["PTY_MCP_SPAWN_META"],
    default: false,
    description: "`pty_spawn`'s text is the JSON metadata instead of the bare session id",
  }),
  ttyMode: choice(["cooked", "raw"], {
    env: ["PTY_MCP_TTY_MODE"],
    default: "cooked",
    extension: true,
    description: "`raw` = pty-mcp's raw terminal (no echo, `\\n` not `\\r\\n`, Ctrl-C not a signal)",
  }),
  exitedRetentionSec: int({
    env: ["PTY_MCP_EXITED_RETENTION_SEC"],
    default: 600,
    min: 0,
    extension: true,
    description: "finished sessions keep their exit status and unread output this long",
  }),
  killGraceMs: int({
    env: ["PTY_MCP_KILL_GRACE_MS"],
    default: 1000,
    min: 0,
    max: 60_000,
    extension: true,
    description: "SIGTERM → SIGKILL grace for close, timeout and idle",
  }),
  loginShell: choice(["once", "per-spawn", "off"], {
    env: ["PTY_MCP_LOGIN_SHELL"],
    default: "once",
    ignoreCase: true,
    synonyms: { "1": "once", true: "once", yes: "once", on: "once", "0": "off", false: "off", no: "off" },
    invalid: "expected once, per-spawn or off",
    description:
      "`once`: one login shell per server start, in the background, reports the login environment; every spawn runs `bash -c` in it. `per-spawn`: `bash -lc` for every spawn (pty-mcp). `off` (or `0`): `bash -c` in the server's environment. `1`/`true` mean `once`",
  }),
  loginEnvTimeoutSec: int({
    env: ["PTY_MCP_LOGIN_ENV_TIMEOUT_SEC"],
    default: 20,
    min: 1,
    max: 600,
    extension: true,
    description:
      "how long spawns wait for the one-time login shell; one still running then counts as hung: its process group is ended and spawns use the server's environment",
  }),
  echoFilter: bool({
    env: ["PTY_MCP_ECHO_FILTER"],
    default: true,
    extension: true,
    description: "`0`: patterns and quiescence also see the echo of typed input (as before issue #16)",
  }),
  stateDir: text({
    env: ["PTY_MCP_STATE_DIR"],
    defaultText: "`$XDG_RUNTIME_DIR` or tmp + `/mcpkit-pty-<uid>`",
    extension: true,
    description: "private dir (0700): tmux socket, pane logs, persisted tmux sessions",
  }),
  tmuxBin: text({
    env: ["PTY_MCP_TMUX_BIN"],
    default: "tmux",
    extension: true,
    description: "tmux executable",
  }),
  tmuxPersist: bool({
    env: ["PTY_MCP_TMUX_PERSIST"],
    default: true,
    extension: true,
    description: "named + owned tmux sessions survive a server exit (for pty_recover); `0` kills them",
  }),
};

export type PtySettings = typeof ptySettings;
