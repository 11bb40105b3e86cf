import type { SubcommandSpec } from "../../../core/command-spec.ts";

// Data only: the command table imports this at start-up; each subcommand's code loads when it runs.
// Every subcommand also takes the gateway's own flags (--config, --policy, --project, --manifest,
// --guidance, --port, ...), so it reads exactly what `mcpkit gateway` with the same flags would.

const SHARED_FLAGS =
  "Reads the same files as `mcpkit gateway` with the same flags (--config, --policy, --project, --manifest, --guidance).";

export const gatewaySubcommands: SubcommandSpec[] = [
  {
    name: "status",
    summary: "configured servers, their source and credentials, without starting any",
    description: `What the gateway would serve: config files found, each server's transport and source file, whether the variables it references are set (never their values), the policy and guidance in effect, how many manifest servers are known, and whether something answers on the HTTP port, and the gateways registered in the state dir (--lock-dir: the HTTP gateway holding gateway.lock, the stdio gateways' instance files). Live state (started, tool counts, errors) lives in a running gateway: ask it with gateway_health. ${SHARED_FLAGS}`,
    options: [
      { flags: "--json", description: "print JSON" },
      { flags: "--server <name>", description: "only this server (configured or manifest-known)" },
    ],
    examples: ["mcpkit gateway status", "mcpkit gateway status --json", "pmcp status --server github"],
    load: () => import("./status.ts"),
  },
  {
    name: "doctor",
    summary: "check config, policy, credentials and the HTTP port; exit 1 on a problem",
    description: `Prints [OK|WARN|FAIL] lines: config, policy, manifest overlay and guidance file parse errors (file:line), variables configured servers need but nobody set, credential files readable by others, the HTTP port (--port, default 3344) taken by another program, the gateway lock (OK with pid and URL when live, WARN with the command to fix when its pid is gone), stale stdio instance files, and a PMCP ~/.pmcp/gateway.lock. Exits 1 when any check fails. ${SHARED_FLAGS}`,
    options: [{ flags: "--json", description: "print JSON" }],
    examples: ["mcpkit gateway doctor", "mcpkit gateway doctor --project ~/src/app --json"],
    load: () => import("./doctor.ts"),
  },
  {
    name: "secrets",
    summary: "store credentials in the user or project credential file",
    description:
      "User scope: ~/.config/pmcp/pmcp.env ($XDG_CONFIG_HOME/pmcp); project scope: <project>/.env.pmcp. Files are written 0600; values are never printed.",
    subcommands: [
      {
        name: "set",
        summary: "store one variable (value as argument or on stdin)",
        description:
          "Same rules as the auth_connect meta-tool: loader and runtime variables (PATH, LD_*, NODE_OPTIONS, ...) and undeclared names that do not look like credentials are refused; one line only.",
        arguments: [
          { name: "<name>", description: "variable name, e.g. GITHUB_PERSONAL_ACCESS_TOKEN" },
          { name: "[value]", description: "the value (default: first line of stdin)" },
        ],
        options: [
          {
            flags: "--scope <scope>",
            description: "user or project",
            default: "project",
            choices: ["user", "project"],
          },
        ],
        examples: [
          "mcpkit gateway secrets set API_TOKEN my-token --scope user",
          'printf %s "$TOKEN" | mcpkit gateway secrets set API_TOKEN --scope project --project ~/src/app',
        ],
        load: () => import("./secrets-set.ts"),
      },
      {
        name: "sync",
        summary: "copy every variable of one scope into the other",
        options: [
          { flags: "--from-scope <scope>", description: "user or project", choices: ["user", "project"] },
          { flags: "--to-scope <scope>", description: "user or project", choices: ["user", "project"] },
          { flags: "--overwrite", description: "replace variables the target already has" },
        ],
        examples: ["mcpkit gateway secrets sync --from-scope user --to-scope project --overwrite"],
        load: () => import("./secrets-sync.ts"),
      },
    ],
  },
  {
    name: "guidance",
    summary: "show the guidance level and layers (and token costs)",
    description: `Level and where it came from (--guidance / PMCP_GUIDANCE, ~/.claude/gateway-guidance.yaml, default), the four layers, and with --show-budget the tokens each costs, counted with gpt-tokenizer. ${SHARED_FLAGS}`,
    options: [
      { flags: "--show-budget", description: "token estimates per layer" },
      {
        flags: "--telemetry <state>",
        description:
          "on|off: whether failure results carry a feedback_hint (PMCP's enable_telemetry), saved in the guidance file",
        choices: ["on", "off"],
      },
      { flags: "--json", description: "print JSON" },
    ],
    examples: [
      "mcpkit gateway guidance",
      "mcpkit gateway guidance --show-budget --guidance standard",
      "pmcp guidance --telemetry off",
    ],
    load: () => import("./guidance.ts"),
  },
  {
    name: "logs",
    summary: "print the gateway log file (tail, follow, level filter)",
    description:
      "Every serving gateway (stdio, http, sse) appends its log lines, redacted like stderr, to <state dir>/logs/gateway.log (state dir: --lock-dir / PMCP_LOCK_DIR, default $XDG_STATE_HOME/mcpkit/gateway or ~/.local/state/mcpkit/gateway), rotated to gateway.log.1 at 5 MB (MCPKIT_LOG_FILE_MAX_BYTES). Lines: <time> <pid> [scope] level: message {fields}. Exit 1 when there is no log file yet.",
    options: [
      { flags: "--tail <n>", description: "last N lines", default: "100" },
      { flags: "--follow", description: "keep printing new lines until Ctrl-C" },
      {
        flags: "--level <level>",
        description: "only this level and above",
        choices: ["debug", "info", "warn", "error"],
      },
      { flags: "--json", description: "one JSON object per line: time, pid, scope, level, msg, fields" },
    ],
    examples: ["mcpkit gateway logs", "mcpkit gateway logs --follow", "pmcp logs --tail 20 --level warn"],
    load: () => import("./logs.ts"),
  },
  {
    name: "refresh",
    summary: "refresh a running HTTP gateway, or the description cache offline",
    description:
      "Finds the running HTTP gateway (--url, else the state dir's lock, else --host:--port when an mcpkit server answers there) and calls its gateway_refresh (bearer: --auth-token, MCPKIT_AUTH_TOKEN or PMCP_AUTH_TOKEN). With none running: starts each configured server (4 at a time, 30 s each), lists its tools and writes the description cache the gateway reads (--cache-dir), so include_offline searches find them. Exit 1 when the refresh or a server fails.",
    options: [
      { flags: "--server <name>", description: "only this server (offline), or report just its state" },
      { flags: "--force", description: "cancel calls in flight in the running gateway" },
      { flags: "--url <url>", description: "the gateway's MCP endpoint (no offline fallback)" },
      { flags: "--json", description: "print JSON" },
    ],
    examples: [
      "mcpkit gateway refresh",
      "pmcp refresh --server github",
      "mcpkit gateway refresh --force --json",
    ],
    load: () => import("./refresh.ts"),
  },
  {
    name: "update",
    summary: "update and restart npx/uvx/docker servers in the running HTTP gateway",
    description:
      "Calls gateway_update_server on the running HTTP gateway (found like refresh). --all updates every server it runs, skipping those not launched by npx, uvx or docker. Exit 1 when no gateway runs or an update fails.",
    arguments: [{ name: "[server]", description: "server name (or --all)" }],
    options: [
      { flags: "--all", description: "every server of the gateway" },
      { flags: "--force", description: "cancel calls in flight on the server" },
      { flags: "--url <url>", description: "the gateway's MCP endpoint" },
      { flags: "--json", description: "print JSON" },
    ],
    examples: ["mcpkit gateway update github", "mcpkit gateway update --all --json"],
    load: () => import("./update.ts"),
  },
  {
    name: "setup",
    summary: "print or write an MCP client's config entry for the gateway",
    description:
      "`mcpkit setup --server gateway` with PMCP's flags: prints the entry (secrets as <redacted>), or with --write merges it into the client's config file after a timestamped backup, leaving other entries alone. claude is Claude Code (`claude mcp add`, ~/.claude.json). Default mode stdio: every client runs its own gateway (no lock blocks a second one); --mode http points the client at a shared `mcpkit gateway --transport http` on --host:--port.",
    options: [
      {
        flags: "--client <client>",
        description: "MCP client",
        default: "claude",
        choices: [
          "claude",
          "claude-code",
          "claude-desktop",
          "opencode",
          "codex",
          "cursor",
          "vscode",
          "gemini",
        ],
      },
      { flags: "--mode <mode>", description: "stdio or http", default: "stdio", choices: ["stdio", "http"] },
      { flags: "--write", description: "merge into the client's config file (backup first)" },
      { flags: "--name <entry>", description: "entry name (default: mcpkit-gateway)" },
      { flags: "--url <url>", description: "gateway URL for --mode http" },
      { flags: "--env <KEY=VALUE...>", description: "environment for a stdio gateway" },
      {
        flags: "--npx",
        description: "launch through `npx -y mcpkit@<this version>` (checked with npm view)",
      },
      { flags: "--no-verify", description: "with --npx: skip the npm registry check" },
      { flags: "--config-path <file>", description: "config file to write instead of the client's default" },
    ],
    examples: [
      "mcpkit gateway setup",
      "mcpkit gateway setup --client claude --mode stdio",
      "pmcp setup --client opencode --mode http --write",
    ],
    load: () => import("./setup.ts"),
  },
  {
    name: "init",
    summary: "write a starter .mcp.json in the project (never overwrites without --force)",
    description:
      "Writes <project>/.mcp.json (project: --project or the current directory) without prompting. --add copies manifest servers in, with credentials left as variable placeholders.",
    options: [
      { flags: "--add <name...>", description: "manifest servers to include" },
      { flags: "--force", description: "replace an existing .mcp.json" },
    ],
    examples: ["mcpkit gateway init", "mcpkit gateway init --add playwright github --project ~/src/app"],
    load: () => import("./init.ts"),
  },
];
