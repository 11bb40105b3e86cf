import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { gatewaySubcommands } from "./cli/specs.ts";

export const gatewayCommand: ServerCommandSpec = {
  name: "gateway",
  aliases: ["pmcp"],
  summary: "progressive-disclosure gateway in front of many MCP servers",
  description: [
    "Serves sixteen meta-tools (catalog_search, describe, invoke, provision, ...) instead of every",
    "downstream tool. Servers come from .mcp.json files (project, then ~/.mcp.json and ~/.claude/.mcp.json,",
    "then --config); with none found, the built-in pty and ptc servers are served in-process.",
    "After the first handshake, servers whose tools are not in the description cache are started in the",
    "background, listed and stopped again, so search finds them; they start for real on describe/invoke",
    "(autoStart ones stay up) and are stopped after --idle-timeout unused, at most --max-running at once.",
  ].join(" "),
  defaultPort: 3344,
  authTokenEnv: ["PMCP_AUTH_TOKEN"],
  options: [
    {
      flags: "--config <path>",
      description: "extra .mcp.json to read (lowest precedence)",
      env: "PMCP_CONFIG",
    },
    {
      flags: "--policy <path>",
      description: "policy file (YAML or JSON); errors are fatal",
      env: "PMCP_POLICY",
    },
    { flags: "--project <dir>", description: "project root (default: nearest ancestor with .mcp.json/.git)" },
    {
      flags: "--tool-names <style>",
      description: "meta-tool naming: gateway_<verb> or gateway.<verb>",
      env: "PMCP_TOOL_NAMES",
      default: "default",
      choices: ["default", "dotted"],
    },
    {
      flags: "--guidance <level>",
      description:
        "code-execution guidance: instructions, card hints, describe snippets, the pmcp://guidance/code-execution resource (default: guidance file's level, else minimal)",
      env: "PMCP_GUIDANCE",
      choices: ["off", "minimal", "standard"],
    },
    {
      flags: "--manifest <path>",
      description: "manifest overlay (JSON/YAML); entries replace shipped ones by name",
      env: "PMCP_MANIFEST_PATH",
    },
    {
      flags: "--registry-url <url>",
      description: "MCP Registry base URL",
      env: "PMCP_REGISTRY_URL",
      default: "https://registry.modelcontextprotocol.io",
    },
    {
      flags: "--lock-dir <dir>",
      description:
        "state dir: the HTTP gateway's lock, stdio instance files, logs/gateway.log (default: $XDG_STATE_HOME/mcpkit/gateway or ~/.local/state/mcpkit/gateway)",
      env: "PMCP_LOCK_DIR",
    },
    {
      flags: "--idle-timeout <duration>",
      description:
        "stop a downstream server unused this long (seconds, or 90s/10m/1h; 0 = never; default: policy, else 10m)",
      env: "MCPKIT_IDLE_TIMEOUT",
    },
    {
      flags: "--max-running <n>",
      description:
        "most downstream processes at once; the least recently used idle one is stopped first (default: policy, else 32)",
      env: "MCPKIT_MAX_RUNNING",
    },
    {
      flags: "--cache-dir <dir>",
      description: "state dir for the description and registry caches",
      env: "MCPKIT_CACHE_DIR",
    },
  ],
  examples: [
    "mcpkit gateway",
    "mcpkit gateway --config ./servers.mcp.json --policy ./gateway-policy.yaml",
    "mcpkit gateway --tool-names dotted",
    "mcpkit gateway --transport http --port 3344",
    "mcpkit gateway status",
    "mcpkit gateway doctor",
  ],
  load: () => import("./index.ts"),
  subcommands: gatewaySubcommands,
  aliasProfiles: {
    // Started as `pmcp` (a link, the npm bin, `mcpkit pmcp`), the gateway takes PMCP's documented defaults;
    // the README's "pmcp and mcpkit gateway" table lists each one. Flags and variables still win.
    pmcp: {
      defaults: { toolNames: "dotted" },
      env: { transport: "PMCP_TRANSPORT", host: "PMCP_HOST", port: "PMCP_PORT", logLevel: "PMCP_LOG_LEVEL" },
      shortFlags: { "-p": "--project", "-c": "--config", "-l": "--log-level" },
      extraOptions: [
        { flags: "--debug", description: "log at debug level (PMCP's flag)", implies: { logLevel: "debug" } },
        {
          flags: "-q, --quiet",
          description: "log errors only (PMCP's flag)",
          implies: { logLevel: "error" },
        },
      ],
      subcommandDefaults: { setup: { mode: "http", name: "pmcp" } },
    },
  },
};
