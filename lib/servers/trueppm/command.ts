import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const trueppmCommand: ServerCommandSpec = {
  name: "trueppm",
  aliases: ["trueppm-mcp"],
  summary: "read-only TruePPM connector",
  defaultPort: 8000,
  authTokenEnv: ["TRUEPPM_MCP_AUTH_TOKEN"],
  options: [],
  examples: ["TRUEPPM_API_URL=https://ppm.example.com TRUEPPM_API_TOKEN=… mcpkit trueppm"],
};
