import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { type PtcSettings, ptcSettings } from "./settings.ts";

export const ptcCommand: ServerCommandSpec<PtcSettings> = {
  name: "ptc",
  aliases: ["ptc-mcp"],
  summary: "programmatic tool calling: one script, many downstream tool calls",
  description:
    "Connects to the MCP servers in PTC-MCP's config.yaml (and/or a Claude-style .mcp.json) and offers " +
    "list_callable_tools, inspect_tool and execute_program: JavaScript and TypeScript programs run in a QuickJS " +
    "sandbox, Python programs in a python3 child, and call the downstream tools as async functions. A missing " +
    "config.yaml means defaults and no downstream servers.",
  defaultPort: 3345,
  authTokenEnv: ["PTC_MCP_AUTH_TOKEN"],
  settings: ptcSettings,
  examples: [
    "PTC_MCP_CONFIG=config.yaml mcpkit ptc",
    "mcpkit ptc --mcp-config .mcp.json",
    "mcpkit ptc --default-language python",
    "mcpkit ptc --config config.yaml --transport http --port 3345",
  ],
  load: () => import("./index.ts"),
};
