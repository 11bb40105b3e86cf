import type { ServerCommandSpec } from "../../core/command-spec.ts";

export const ptmCommand: ServerCommandSpec = {
  name: "ptm",
  aliases: ["ptm-mcp"],
  summary: "Prompt Test Manager connector (24 tools, read-only by default)",
  description: [
    "Needs PTM_API_BASE_URL and PTM_API_TOKEN. PTM_MCP_READ_ONLY (default true) refuses the 11 write tools; set it to false to unlock them. Also read: PTM_MCP_TIMEOUT_SECONDS (1-600, default 30), PTM_MCP_LOG_LEVEL, CF_ACCESS_CLIENT_ID + CF_ACCESS_CLIENT_SECRET or CF_ACCESS_JWT (Cloudflare Access), PTM_CF_AUTO_DISCOVER (default true: ask cloudflared for a token on a challenge), PTM_MCP_MAX_ROWS (list row cap, default 500).",
    "Start-up checks /healthz (retrying for 31 s), /auth/me and /meta before serving. Exit codes: 0 clean, 1 error or bad environment, 2 backend unreachable or unknown --tools name, 3 token rejected, 4 backend older than 1.9.0, 130 interrupted.",
  ].join("\n\n"),
  defaultPort: 3347,
  authTokenEnv: ["PTM_MCP_AUTH_TOKEN"],
  options: [
    {
      flags: "--tools <names>",
      description: "expose only these tools (comma-separated)",
      env: "PTM_MCP_TOOLS",
    },
    {
      flags: "--exclude-tools <names>",
      description: "hide these tools (comma-separated)",
      env: "PTM_MCP_EXCLUDE_TOOLS",
    },
  ],
  examples: [
    "PTM_API_BASE_URL=https://ptm.example.com PTM_API_TOKEN=ptm_u_… mcpkit ptm",
    "PTM_MCP_READ_ONLY=false mcpkit ptm --exclude-tools transfer_prompt_ownership",
    "mcpkit ptm --tools list_prompts,get_prompt,get_run_report --transport http --port 3347",
  ],
  load: () => import("./index.ts"),
};
