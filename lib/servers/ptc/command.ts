import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptcCommand: ServerCommandSpec = {
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
  options: [
    {
      flags: "--config <path>",
      description:
        "PTC-MCP config.yaml (servers, tools.allow/block, execution limits); default ./config.yaml",
      env: "PTC_MCP_CONFIG",
    },
    {
      flags: "--default-language <language>",
      description:
        "language of execute_program when a call names none: javascript, typescript or python (default: python when started as ptc-mcp, else javascript; config.yaml: execution.default_language)",
      env: "PTC_MCP_DEFAULT_LANGUAGE",
      choices: ["javascript", "typescript", "python"],
    },
    {
      flags: "--mcp-config <path>",
      description: "a Claude-style .mcp.json whose mcpServers are added as downstream servers",
    },
  ],
  examples: [
    "PTC_MCP_CONFIG=config.yaml mcpkit ptc",
    "mcpkit ptc --mcp-config .mcp.json",
    "mcpkit ptc --default-language python",
    "mcpkit ptc --config config.yaml --transport http --port 3345",
  ],
  load: () => import("./index.ts"),
};
