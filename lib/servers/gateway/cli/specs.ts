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
      { flags: "--json", description: "print JSON" },
    ],
    examples: ["mcpkit gateway guidance", "mcpkit gateway guidance --show-budget --guidance standard"],
    load: () => import("./guidance.ts"),
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
