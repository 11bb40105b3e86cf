import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const trueppmCommand: ServerCommandSpec = {
  name: "trueppm",
  aliases: ["trueppm-mcp"],
  summary: "read-only TruePPM connector",
  description: [
    "Serves 18 read-only tools over a self-hosted TruePPM instance's REST API: projects, tasks, board, " +
      "risks, sprints, programs, My Work, schedule and Monte Carlo forecasts, what-if and derivations. " +
      "Only GET requests are ever sent.",
    "Configuration comes from the environment: TRUEPPM_API_URL (the instance URL; /api/v1 is added when " +
      "missing) and TRUEPPM_API_TOKEN (a tppm_… token with the mcp:read scope). The token is checked once " +
      "with GET /api/v1/auth/me/ before serving: a missing variable exits 2, a rejected token exits 3, an " +
      "unreachable API exits 4.",
  ].join("\n\n"),
  defaultPort: 8000,
  authTokenEnv: ["TRUEPPM_MCP_AUTH_TOKEN"],
  options: [],
  examples: [
    "TRUEPPM_API_URL=https://ppm.example.com TRUEPPM_API_TOKEN=tppm_… mcpkit trueppm",
    "mcpkit trueppm --transport http --port 8000",
    "MCPKIT_AUTH_TOKEN=… mcpkit trueppm --transport http --host 0.0.0.0",
  ],
  load: () => import("./index.ts"),
};
