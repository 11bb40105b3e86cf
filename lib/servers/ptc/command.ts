import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptcCommand: ServerCommandSpec = {
  name: "ptc",
  aliases: ["ptc-mcp"],
  summary: "programmatic tool calling: one script, many downstream tool calls",
  defaultPort: 3345,
  authTokenEnv: ["PTC_MCP_AUTH_TOKEN"],
  options: [],
  examples: ["PTC_MCP_CONFIG=config.yaml mcpkit ptc"],
};
