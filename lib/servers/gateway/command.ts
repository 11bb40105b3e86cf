import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const gatewayCommand: ServerCommandSpec = {
  name: "gateway",
  aliases: ["pmcp"],
  summary: "progressive-disclosure gateway in front of many MCP servers",
  defaultPort: 3344,
  authTokenEnv: ["PMCP_AUTH_TOKEN"],
  options: [],
  examples: ["mcpkit gateway", "mcpkit gateway --transport http --port 3344"],
};
