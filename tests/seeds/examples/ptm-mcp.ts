import type { SeedExample } from "./types.ts";

// Examples of shared/seeds/ptm-mcp.txt (ptm-mcp's PyPI page), verbatim (table rows as one line each, cells
// separated by " | ").

const seed = "ptm-mcp.txt" as const;
const UVX =
  "`uvx` runs PyPI packages; mcpkit comes from npm, so the entry's command is `ptm-mcp` (an npm bin or link; `npx -y -p mcpkit ptm-mcp` without installing) and the env block is unchanged";

export const PTM_EXAMPLES: readonly SeedExample[] = [
  {
    id: "ptm.install-pip",
    seed,
    section: "Install",
    text: "pip install ptm-mcp",
    run: "not-run",
    difference:
      "PyPI package; mcpkit installs from npm (`npm install -g ./mcpkit-<version>.tgz` from a clone today, `npm install -g mcpkit` after the first release, gives `ptm-mcp`)",
  },
  {
    id: "ptm.install-uvx",
    seed,
    section: "Install",
    text: "uvx ptm-mcp",
    run: "not-run",
    difference: "PyPI launcher; the npm equivalent is `npx -y -p mcpkit ptm-mcp`",
  },
  {
    id: "ptm.claude-desktop",
    seed,
    section: "Claude Desktop",
    text: `{
  "mcpServers": {
    "ptm": {
      "command": "uvx",
      "args": ["ptm-mcp"],
      "env": {
        "PTM_API_BASE_URL": "https://ptm.example.com",
        "PTM_API_TOKEN": "ptm_u_PASTE_HERE",
        "PTM_MCP_READ_ONLY": "true"
      }
    }
  }
}`,
    run: "adapted",
    difference: UVX,
  },
  {
    id: "ptm.claude-code",
    seed,
    section: "Claude Code",
    text: `claude mcp add --transport stdio --scope user ptm \\
  --env PTM_API_BASE_URL=https://ptm.example.com \\
  --env PTM_API_TOKEN=ptm_u_PASTE_HERE \\
  --env PTM_MCP_READ_ONLY=true \\
  -- uvx ptm-mcp`,
    run: "adapted",
    difference: `no Claude Code CLI on the test machines: the test starts the entry this line registers (its --env values, the command after --); ${UVX}`,
  },
  {
    id: "ptm.claude-code-windows",
    seed,
    section: "Claude Code",
    text: `claude mcp add --transport stdio --scope user ptm \`
  --env PTM_API_BASE_URL=https://ptm.example.com \`
  --env PTM_API_TOKEN=ptm_u_PASTE_HERE \`
  --env PTM_MCP_READ_ONLY=true \`
  -- cmd /c uvx ptm-mcp`,
    run: "not-run",
    difference: "Windows only (cmd /c); tests run on Linux",
  },
  {
    id: "ptm.codex-toml",
    seed,
    section: "Codex",
    text: `[mcp_servers.ptm]
command = "uvx"
args = ["ptm-mcp"]
env = { PTM_API_BASE_URL = "https://ptm.example.com", PTM_API_TOKEN = "ptm_u_PASTE_HERE", PTM_MCP_READ_ONLY = "true" }
startup_timeout_sec = 10
tool_timeout_sec = 60`,
    run: "adapted",
    difference: UVX,
  },
  {
    id: "ptm.codex-cli",
    seed,
    section: "Codex",
    text: "codex mcp add ptm -- uvx ptm-mcp",
    run: "not-run",
    difference: "no Codex CLI on the test machines; it writes the TOML entry tested above",
  },
  {
    id: "ptm.env-base-url",
    seed,
    section: "Environment variables",
    text: "PTM_API_BASE_URL | yes | - | e.g. https://ptm.example.com",
    run: "verbatim",
  },
  {
    id: "ptm.env-token",
    seed,
    section: "Environment variables",
    text: "PTM_API_TOKEN | yes | - | PTM bearer. Service-account tokens preferred for long-running agent sessions.",
    run: "verbatim",
  },
  {
    id: "ptm.env-read-only",
    seed,
    section: "Environment variables",
    text: "PTM_MCP_READ_ONLY | no | true | Flip to false to unlock write tools.",
    run: "verbatim",
  },
  {
    id: "ptm.env-timeout",
    seed,
    section: "Environment variables",
    text: "PTM_MCP_TIMEOUT_SECONDS | no | 30 | Per-request timeout (1..600).",
    run: "verbatim",
  },
  {
    id: "ptm.env-log-level",
    seed,
    section: "Environment variables",
    text: "PTM_MCP_LOG_LEVEL | no | INFO | DEBUG / INFO / WARNING / ERROR / CRITICAL.",
    run: "verbatim",
  },
  {
    id: "ptm.env-cf-service-token",
    seed,
    section: "Environment variables",
    text: `CF_ACCESS_CLIENT_ID | no | - | Cloudflare Access service-token Client ID. Paired with CF_ACCESS_CLIENT_SECRET.
CF_ACCESS_CLIENT_SECRET | no | - | Cloudflare Access service-token Client Secret. Paired with CF_ACCESS_CLIENT_ID.`,
    run: "verbatim",
  },
  {
    id: "ptm.env-cf-jwt",
    seed,
    section: "Environment variables",
    text: "CF_ACCESS_JWT | no | - | Cloudflare Access user JWT (alternative to the service-token pair).",
    run: "verbatim",
  },
  {
    id: "ptm.env-cf-auto-discover",
    seed,
    section: "Environment variables",
    text: "PTM_CF_AUTO_DISCOVER | no | true | Falsy value opts out of auto-discovery via cloudflared.",
    run: "verbatim",
    note: "with auto-discovery off, the Cloudflare refusal reaches tool calls and `ptm-mcp check`, not the handshake",
  },
  {
    id: "ptm.cloudflared-login",
    seed,
    section: "Cloudflare Access",
    text: "cloudflared access login https://your-ptm-host",
    run: "not-run",
    difference:
      "needs cloudflared and a Cloudflare Access application; the token it caches is what PTM_CF_AUTO_DISCOVER asks cloudflared for (tested above with a stand-in cloudflared)",
  },
  {
    id: "ptm.tool-inventory",
    seed,
    section: "Tool inventory",
    text: `list_providers, list_prompts, get_prompt, get_prompt_tests, list_prompt_versions, get_prompt_version, compare_prompt_versions, list_runs, get_run, get_run_report, get_optimization_status, get_optimization_history, get_optimization_detail.
Eval / optimization (4): run_manual_eval, run_prompt_eval, submit_optimization, cancel_optimization.
update_prompt, activate_prompt_version, share_prompt, unshare_prompt, add_prompt_to_group, remove_prompt_from_group, transfer_prompt_ownership`,
    run: "verbatim",
  },
  {
    id: "ptm.submit-optimization-fields",
    seed,
    section: "Tool inventory",
    text: "submit_optimization accepts seven optional variance-aware fields as of 0.4.0 / PTM 1.10.0: stability_samples (1-10), validation_samples (1-10), flakiness_threshold (0.0-1.0), min_consistent_improvement (0.0-100.0), variance_aware_mutator (bool), variance_signal (levenshtein / embedding / both), enforce_target_score (bool, default true).",
    run: "verbatim",
  },
  {
    id: "ptm.error-codes",
    seed,
    section: "Permissions model",
    text: `403 -> "Permission denied. This operation requires prompt ownership or admin / group-manager role."
404 -> "Prompt or resource not found. Verify prompt_id and PAT visibility."
409 -> "Conflict. Repository-backed prompt (edit the files at source) OR concurrent writer. Re-fetch and retry."
422 -> "Validation failed. Check prompt_text length (max 500k), test / metric shapes, and field types."`,
    run: "verbatim",
  },
  {
    id: "ptm.resources",
    seed,
    section: "Resources (5 URI patterns)",
    text: `ptm://prompts/{prompt_id}
ptm://prompts/{prompt_id}/v{N}
ptm://runs/{run_key}/report.md
ptm://runs/{run_key}/report.html
ptm://optimizations/{optimization_id}/report.md`,
    run: "verbatim",
  },
  {
    id: "ptm.headers",
    seed,
    section: "Security defaults",
    text: "X-PTM-Client + X-PTM-MCP-Session on every outbound request so the backend can classify and audit agent traffic.",
    run: "verbatim",
  },
  {
    id: "ptm.exit-codes",
    seed,
    section: "Exit codes",
    text: `0 | clean shutdown
1 | unhandled exception
2 | /healthz unreachable after 31s of backoff
3 | /auth/me rejected the token
4 | backend version < 1.9.0 or unparseable
130 | interrupted (SIGINT)`,
    run: "adapted",
    difference:
      "codes 2, 3 and 4 come from `ptm-mcp check`: the server itself answers initialize at once (clients give up after 5–30 s, before ptm-mcp's 31 s of backoff) and returns the same message from every tool call until the backend check passes",
  },
];
