import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { type TrueppmSettings, trueppmSettings } from "./settings.ts";

export const trueppmCommand: ServerCommandSpec<TrueppmSettings> = {
  name: "trueppm",
  aliases: ["trueppm-mcp"],
  summary: "read-only TruePPM connector",
  description: [
    "Serves 18 read-only tools over a self-hosted TruePPM instance's REST API: projects, tasks, board, " +
      "risks, sprints, programs, My Work, schedule and Monte Carlo forecasts, what-if and derivations. " +
      "Only GET requests are ever sent.",
    "Configuration comes from the environment: TRUEPPM_API_URL (the instance URL; /api/v1 is added when " +
      "missing) and TRUEPPM_API_TOKEN (a tppm_… token with the mcp:read scope). A missing variable exits 2 " +
      "at once. The token is checked with GET /api/v1/auth/me/ behind the MCP handshake: until the check " +
      "passes, tool calls answer with what failed and what to do, and it is retried with backoff.",
    "`mcpkit trueppm check` runs that boot check alone and exits 0 (token accepted), 2 (configuration), " +
      "3 (token rejected) or 4 (API unreachable).",
  ].join("\n\n"),
  defaultPort: 8000,
  authTokenEnv: ["TRUEPPM_MCP_AUTH_TOKEN"],
  // trueppm-mcp's wording for a missing or bad variable (exit 2).
  formatConfigError: (message) => `Configuration error: ${message}.`,
  settings: trueppmSettings,
  examples: [
    "TRUEPPM_API_URL=https://ppm.example.com TRUEPPM_API_TOKEN=tppm_… mcpkit trueppm",
    "mcpkit trueppm --transport http --port 8000",
    "MCPKIT_AUTH_TOKEN=… mcpkit trueppm --transport http --host 0.0.0.0",
    "mcpkit trueppm check && echo token accepted",
  ],
  load: () => import("./index.ts"),
  subcommands: [
    {
      name: "check",
      summary: "run the boot check (GET /api/v1/auth/me/) alone and exit with its code",
      description:
        "Exit 0 when the API accepts the token; otherwise one line on stderr and 2 (a missing or bad variable), 3 (token rejected, or MCP access switched off) or 4 (API unreachable or answering wrongly).",
      examples: ["TRUEPPM_API_URL=https://ppm.example.com TRUEPPM_API_TOKEN=tppm_… mcpkit trueppm check"],
      load: () => import("./check.ts"),
    },
  ],
};
