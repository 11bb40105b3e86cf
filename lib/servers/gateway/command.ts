import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { gatewaySubcommands } from "./cli/specs.ts";
import { type GatewaySettings, gatewaySettings } from "./settings.ts";

export const gatewayCommand: ServerCommandSpec<GatewaySettings> = {
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
  settings: gatewaySettings,
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
