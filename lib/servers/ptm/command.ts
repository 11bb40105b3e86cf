import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptmCommand: ServerCommandSpec = {
  name: "ptm",
  aliases: ["ptm-mcp"],
  summary: "Prompt Test Manager connector (24 tools, read-only by default)",
  defaultPort: 3347,
  authTokenEnv: ["PTM_MCP_AUTH_TOKEN"],
  options: [],
  examples: ["PTM_API_TOKEN=… mcpkit ptm"],
};
