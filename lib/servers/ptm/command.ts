import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { type PtmSettings, ptmSettings } from "./settings.ts";

export const ptmCommand: ServerCommandSpec<PtmSettings> = {
  name: "ptm",
  aliases: ["ptm-mcp"],
  summary: "Prompt Test Manager connector (24 tools, read-only by default)",
  description: [
    "Needs PTM_API_BASE_URL and PTM_API_TOKEN. PTM_MCP_READ_ONLY (default true) refuses the 11 write tools; set it to false to unlock them. Every variable is listed under Variables below; PTM_MCP_LOG_LEVEL is a variable of --log-level.",
    "The server answers the MCP handshake at once and checks the backend (/healthz, /auth/me, /meta) behind it: until the checks pass, tool calls and resource reads return what failed and which variable to check, and the checks are retried with backoff. A missing or malformed variable exits 1 at once; an unknown --tools name exits 2.",
    "`mcpkit ptm check` runs the original's preflight alone (/healthz retried for 31 s) and exits with its codes: 0 ready, 1 bad environment, 2 backend unreachable, 3 token rejected, 4 backend older than 1.9.0, 130 interrupted.",
  ].join("\n\n"),
  defaultPort: 3347,
  authTokenEnv: ["PTM_MCP_AUTH_TOKEN"],
  // ptm-mcp's log variable sets the shared log level (after --log-level and MCPKIT_LOG_LEVEL).
  sharedEnv: { logLevel: ["PTM_MCP_LOG_LEVEL"] },
  // ptm-mcp's contract: a missing or malformed variable exits 1 with one line naming it.
  configExitCode: 1,
  settings: ptmSettings,
  examples: [
    "PTM_API_BASE_URL=https://ptm.example.com PTM_API_TOKEN=ptm_u_… mcpkit ptm",
    "PTM_MCP_READ_ONLY=false mcpkit ptm --exclude-tools transfer_prompt_ownership",
    "mcpkit ptm --tools list_prompts,get_prompt,get_run_report --transport http --port 3347",
    "mcpkit ptm check && echo backend ready",
  ],
  load: () => import("./index.ts"),
  subcommands: [
    {
      name: "check",
      summary: "run the start-up preflight alone and exit with the original's codes",
      description:
        "Checks /healthz (retrying for 31 s), /auth/me and /meta like ptm-mcp did before serving, prints one line and exits: 0 ready, 1 bad environment, 2 backend unreachable, 3 token rejected (or Cloudflare Access blocking), 4 backend older than 1.9.0, 130 interrupted.",
      examples: [
        "PTM_API_BASE_URL=https://ptm.example.com PTM_API_TOKEN=ptm_u_… mcpkit ptm check",
        "ptm-mcp check; echo $?",
      ],
      load: () => import("./check.ts"),
    },
  ],
};
