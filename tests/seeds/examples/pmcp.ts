import type { SeedExample } from "./types.ts";

// Examples of shared/seeds/pmcp.txt (PMCP's README), verbatim. A command that appears in several sections
// is one example (listed under its first section).

const seed = "pmcp.txt" as const;
const PYPI =
  "PyPI packaging; mcpkit installs from npm: from a clone today `npm pack` then `npm install -g ./mcpkit-<version>.tgz` gives `pmcp`; after the first release `npm install -g mcpkit` (and `npx -y -p mcpkit pmcp`)";
const DEV = "PMCP's own source checkout and test suite; mcpkit's are `git clone` of mcpkit and `npm test`";
const NETWORK = "needs the internet (the tests' machines reach only loopback and the package registry)";

const v = (id: string, section: string, text: string, extra: Partial<SeedExample> = {}): SeedExample => ({
  id,
  seed,
  section,
  text,
  run: "verbatim",
  ...extra,
});
const notRun = (id: string, section: string, text: string, difference: string): SeedExample => ({
  id,
  seed,
  section,
  text,
  run: "not-run",
  difference,
});

export const PMCP_EXAMPLES: readonly SeedExample[] = [
  notRun("pmcp.install-uv", "Installation", "uv pip install pmcp", PYPI),
  notRun("pmcp.install-uvx", "Installation", "uvx pmcp", PYPI),
  notRun("pmcp.install-pip", "Installation", "pip install pmcp", PYPI),
  v("pmcp.setup-claude-stdio", "Configure with pmcp setup", "pmcp setup --client claude --mode stdio"),
  v("pmcp.setup-claude-http", "Configure with pmcp setup", "pmcp setup --client claude --mode http"),
  v("pmcp.setup-opencode-stdio", "Configure with pmcp setup", "pmcp setup --client opencode --mode stdio"),
  v("pmcp.setup-opencode-http", "Configure with pmcp setup", "pmcp setup --client opencode --mode http"),
  v(
    "pmcp.setup-claude-http-write",
    "Configure with pmcp setup",
    "pmcp setup --client claude --mode http --write",
  ),
  v(
    "pmcp.shared-http-config",
    "Shared Service Mode (Manual)",
    `{
  "mcpServers": {
    "pmcp": {
      "type": "http",
      "url": "http://127.0.0.1:3344/mcp"
    }
  }
}`,
  ),
  notRun(
    "pmcp.systemctl-is-active",
    "Shared Service Mode (Manual)",
    "systemctl --user is-active pmcp",
    "no systemd user session on the test machines; the unit's ExecStart line is run under § Security",
  ),
  v("pmcp.curl", "Shared Service Mode (Manual)", "curl -sS http://127.0.0.1:3344/mcp"),
  v("pmcp.auth-flag", "Security", "pmcp --transport http --auth-token mysecrettoken"),
  v("pmcp.auth-env", "Security", "PMCP_AUTH_TOKEN=mysecrettoken pmcp --transport http"),
  {
    id: "pmcp.systemd-unit",
    seed,
    section: "Security",
    text: `# ~/.config/systemd/user/pmcp.service
[Unit]
Description=PMCP MCP Gateway

[Service]
ExecStart=/usr/local/bin/pmcp --transport http --auth-token %i
Restart=on-failure

[Install]
WantedBy=default.target`,
    run: "adapted",
    difference:
      "no systemd user session here: the unit's ExecStart runs as a process, %i (the instance name) given a token, /usr/local/bin/pmcp being the installed link",
  },
  notRun(
    "pmcp.systemctl-enable",
    "Security",
    "systemctl --user enable --now pmcp",
    "no systemd user session on the test machines",
  ),
  v(
    "pmcp.nohup",
    "Security",
    `nohup pmcp --transport http --auth-token "$PMCP_AUTH_TOKEN" >> ~/.pmcp/logs/gateway.log 2>&1 &`,
  ),
  {
    id: "pmcp.nginx",
    seed,
    section: "TLS / Reverse Proxy",
    text: `server {
    listen 443 ssl;
    server_name pmcp.example.com;

    ssl_certificate     /etc/letsencrypt/live/pmcp.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/pmcp.example.com/privkey.pem;

    location / {
        proxy_pass http://127.0.0.1:3344;
        proxy_set_header Authorization $http_authorization;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
}`,
    run: "adapted",
    difference:
      "no nginx or certificates on the test machines: the test sends the requests this block forwards (HTTP/1.1 to 127.0.0.1:3344, Host 127.0.0.1:3344, Authorization passed on) straight to the gateway",
  },
  {
    id: "pmcp.caddy",
    seed,
    section: "TLS / Reverse Proxy",
    text: `pmcp.example.com {
    reverse_proxy 127.0.0.1:3344
}`,
    run: "adapted",
    difference:
      "Caddy passes the client's Host (pmcp.example.com) on, and a gateway bound to 127.0.0.1 refuses foreign Host headers (403, DNS-rebinding protection); add `header_up Host {upstream_hostport}` inside reverse_proxy. Tested by sending both requests (no Caddy on the test machines)",
  },
  v(
    "pmcp.codex-config",
    "Codex CLI",
    `{
  "mcpServers": {
    "gateway": {
      "command": "pmcp",
      "args": []
    }
  }
}`,
  ),
  notRun(
    "pmcp.first-interaction",
    "Your First Interaction",
    `gateway.invoke {
  tool_id: "playwright::browser_navigate",
  arguments: { url: "https://google.com" }
}
// Then: gateway.invoke { tool_id: "playwright::browser_screenshot" }`,
    `${NETWORK}, and a browser for Playwright's server; invoking a downstream tool through gateway.invoke is tested under § Adding Custom Servers`,
  ),
  v(
    "pmcp.gateway-tools",
    "Gateway Tools",
    "gateway.catalog_search gateway.describe gateway.invoke gateway.refresh gateway.health gateway.request_capability gateway.sync_environment gateway.provision gateway.update_server gateway.auth_connect gateway.submit_feedback gateway.provision_status gateway.search_registry gateway.register_discovered_server gateway.list_pending gateway.cancel",
  ),
  notRun(
    "pmcp.update-server",
    "Subordinate MCP Updates",
    "pmcp update <server>",
    "updates a package from the npm/PyPI registry in a running HTTP gateway; tests do not install packages",
  ),
  notRun(
    "pmcp.update-all",
    "Subordinate MCP Updates",
    "pmcp update --all",
    "updates packages from the npm/PyPI registry in a running HTTP gateway; tests do not install packages",
  ),
  v("pmcp.guidance-telemetry-off", "Feedback Telemetry", "pmcp guidance --telemetry off"),
  v(
    "pmcp.request-capability-docs",
    "Step 1: Request a Capability",
    `gateway.request_capability({ query: "library documentation" })`,
  ),
  v(
    "pmcp.catalog-search-docs",
    "Step 2: Search Available Tools",
    `gateway.catalog_search({ query: "documentation" })`,
  ),
  notRun(
    "pmcp.describe-context7",
    "Step 3: Get Tool Details",
    `gateway.describe({ tool_id: "context7::get-library-docs" })`,
    `${NETWORK} (Context7's server downloads from npm and calls its API); describe is tested under § Troubleshooting`,
  ),
  notRun(
    "pmcp.invoke-context7",
    "Step 4: Invoke the Tool",
    `gateway.invoke({
  tool_id: "context7::get-library-docs",
  arguments: { libraryId: "/npm/react/19.0.0" }
})`,
    `${NETWORK} (Context7's API); invoke is tested under § Adding Custom Servers`,
  ),
  v(
    "pmcp.catalog-search-offline",
    "Offline Tool Discovery",
    `gateway.catalog_search({
  "query": "browser",
  "include_offline": true
})`,
  ),
  v("pmcp.refresh", "Offline Tool Discovery", "pmcp refresh"),
  v(
    "pmcp.request-capability-github",
    "Example: Adding GitHub Support",
    `gateway.request_capability({ query: "github issues" })`,
  ),
  notRun(
    "pmcp.provision-github",
    "Provisioning",
    `export GITHUB_PERSONAL_ACCESS_TOKEN=ghp_...
gateway.provision({ server_name: "github" })`,
    "downloads GitHub's server from npm and needs a real token and the internet",
  ),
  notRun(
    "pmcp.auto-start",
    "Auto-Start Servers",
    "playwright | Browser automation - navigation, screenshots, DOM inspection | Not required\ncontext7 | Library documentation lookup - up-to-date docs for any package | Optional (for higher rate limits)",
    `${NETWORK}: both download packages (and a browser) when they start`,
  ),
  v(
    "pmcp.available-servers",
    "Available Servers",
    `filesystem memory fetch sequential-thinking git sqlite time puppeteer
github GITHUB_PERSONAL_ACCESS_TOKEN
gitlab GITLAB_PERSONAL_ACCESS_TOKEN
slack SLACK_BOT_TOKEN
notion NOTION_TOKEN
linear LINEAR_API_KEY
postgres POSTGRES_URL
brave-search BRAVE_API_KEY
google-drive GDRIVE_CREDENTIALS
sentry SENTRY_AUTH_TOKEN
stripe STRIPE_SECRET_KEY
github-actions GITHUB_PERSONAL_ACCESS_TOKEN
datadog DATADOG_API_KEY
cloudflare CLOUDFLARE_API_TOKEN
figma FIGMA_ACCESS_TOKEN
jira JIRA_API_TOKEN
airtable AIRTABLE_TOKEN
hubspot HUBSPOT_ACCESS_TOKEN
twilio TWILIO_ACCOUNT_SID`,
  ),
  v(
    "pmcp.guidance-yaml",
    "Guidance Configuration",
    `guidance:
  level: "minimal"  # Options: "off", "minimal", "standard"

  layers:
    mcp_instructions: true   # L0 philosophy
    code_hints: true         # L1 hints
    code_snippets: false     # L2 examples (default: off)
    methodology_resource: true  # L3 guide`,
  ),
  v("pmcp.guidance", "View Guidance Status", "pmcp guidance                 # Show configuration"),
  v("pmcp.guidance-budget", "View Guidance Status", "pmcp guidance --show-budget  # Show token estimates"),
  v("pmcp.guidance-resource", "Guidance Layers", "Accessible via pmcp://guidance/code-execution resource"),
  v(
    "pmcp.config-discovery",
    "Config Discovery",
    `Project config: .mcp.json in project root (highest priority)
User config: ~/.mcp.json or ~/.claude/.mcp.json
Custom config: Via --config flag or PMCP_CONFIG env var`,
  ),
  v(
    "pmcp.custom-server",
    "Adding Custom Servers",
    `{
  "mcpServers": {
    "my-custom-server": {
      "command": "node",
      "args": ["./my-server.js"],
      "env": {
        "API_KEY": "..."
      }
    }
  }
}`,
  ),
  v(
    "pmcp.remote-servers",
    "Remote Downstream Servers",
    `{
  "mcpServers": {
    "acme-sse": {
      "type": "sse",
      "url": "https://mcp.acme.dev/sse",
      "headers": {
        "Authorization": "Bearer \${ACME_MCP_TOKEN}",
        "X-Tenant": "\${ACME_TENANT_ID}"
      }
    },
    "acme-http": {
      "type": "http",
      "url": "https://mcp.acme.dev/mcp",
      "headers": {
        "Authorization": "Bearer \${ACME_MCP_TOKEN}"
      }
    }
  }
}`,
  ),
  v(
    "pmcp.pmcp-env",
    "Remote Downstream Servers",
    "Resolve those environment variables from your shell environment or ~/.config/pmcp/pmcp.env.",
  ),
  v(
    "pmcp.secrets-set-user",
    "Credential Scope Management",
    "pmcp secrets set API_TOKEN your-token --scope user",
  ),
  v(
    "pmcp.secrets-set-project",
    "Credential Scope Management",
    "pmcp secrets set API_TOKEN your-token --scope project --project /path/to/project",
  ),
  v(
    "pmcp.secrets-sync-to-project",
    "Credential Scope Management",
    "pmcp secrets sync --from-scope user --to-scope project --overwrite",
  ),
  v(
    "pmcp.secrets-sync-to-user",
    "Credential Scope Management",
    "pmcp secrets sync --from-scope project --to-scope user --overwrite",
  ),
  v(
    "pmcp.policy",
    "Policy File",
    `servers:
  allowlist: []  # Empty = allow all
  denylist:
    - dangerous-server

tools:
  denylist:
    - "*::delete_*"
    - "*::drop_*"

limits:
  max_tools_per_server: 100
  max_output_bytes: 50000
  max_output_tokens: 4000

redaction:
  patterns:
    - "(api[_-]?key)[\\\\s]*[:=][\\\\s]*[\\"']?([^\\\\s\\"']+)"
    - "(password|secret)[\\\\s]*[:=][\\\\s]*[\\"']?([^\\\\s\\"']+)"`,
  ),
  v("pmcp.start", "CLI Commands", "pmcp"),
  v("pmcp.status", "CLI Commands", "pmcp status"),
  v("pmcp.status-json", "CLI Commands", "pmcp status --json              # JSON output"),
  v("pmcp.status-server", "CLI Commands", "pmcp status --server playwright # Filter by server"),
  v("pmcp.logs", "CLI Commands", "pmcp logs"),
  v("pmcp.logs-follow", "CLI Commands", "pmcp logs --follow              # Live tail"),
  v("pmcp.logs-tail", "CLI Commands", "pmcp logs --tail 100            # Last 100 lines"),
  v("pmcp.refresh-server", "CLI Commands", "pmcp refresh --server github    # Refresh specific server"),
  v("pmcp.refresh-force", "CLI Commands", "pmcp refresh --force            # Force reconnect all"),
  v("pmcp.init", "CLI Commands", "pmcp init", {
    note: "writes a starter .mcp.json without questions (PMCP's init is interactive)",
  }),
  v("pmcp.setup", "CLI Commands", "pmcp setup"),
  v("pmcp.setup-opencode-http-write", "CLI Commands", "pmcp setup --client opencode --mode http --write"),
  v("pmcp.doctor", "CLI Commands", "pmcp doctor"),
  v("pmcp.doctor-project", "CLI Commands", "pmcp doctor --project /path/to/project"),
  v("pmcp.secrets-set-my-token", "CLI Commands", "pmcp secrets set API_TOKEN my-token --scope user"),
  v("pmcp.lock-dir-flag", "Singleton Lock", "pmcp --lock-dir /custom/path"),
  v("pmcp.lock-dir-env", "Singleton Lock", "export PMCP_LOCK_DIR=/custom/path\npmcp"),
  v("pmcp.lock-dir-project", "Singleton Lock", "pmcp --lock-dir ./.mcp-gateway"),
  notRun(
    "pmcp.mcp-gateway-name",
    "Deprecations",
    "mcp-gateway refresh --force -> pmcp refresh --force\nmcp-gateway status --json -> pmcp status --json",
    "the deprecated `mcp-gateway` name is not installed; the `pmcp` forms are tested under § CLI Commands",
  ),
  notRun(
    "pmcp.docker-run",
    "Docker",
    `docker run -it --rm \\
  -v ~/.mcp.json:/home/appuser/.mcp.json:ro \\
  -v ~/.env:/app/.env:ro \\
  ghcr.io/viperjuice/pmcp:latest`,
    "PMCP's own image; mcpkit ships no gateway image (its Dockerfile builds trueppm's), and no Docker engine runs on the test machines",
  ),
  notRun(
    "pmcp.docker-compose",
    "Docker",
    "docker-compose up -d",
    "PMCP's compose file; no Docker engine here",
  ),
  notRun("pmcp.dev-clone", "Development", "git clone https://github.com/ViperJuice/pmcp\ncd pmcp", DEV),
  notRun("pmcp.dev-uv-sync", "Development", "uv sync --all-extras", DEV),
  notRun("pmcp.dev-pytest", "Development", "uv run pytest", DEV),
  {
    id: "pmcp.dev-debug",
    seed,
    section: "Development",
    text: "uv run pmcp --debug",
    run: "adapted",
    difference: "`uv run` runs PMCP from its checkout; the installed `pmcp --debug` is run",
  },
  notRun("pmcp.dev-pytest-cov", "Running Tests", "uv run pytest --cov=pmcp", DEV),
  notRun("pmcp.dev-pytest-file", "Running Tests", "uv run pytest tests/test_policy.py -v", DEV),
  v("pmcp.logs-level-debug", "Server Won't Connect", "pmcp logs --level debug"),
  v(
    "pmcp.missing-api-key",
    "Missing API Key",
    "pmcp status --server github\nexport GITHUB_PERSONAL_ACCESS_TOKEN=ghp_...",
  ),
  v("pmcp.troubleshoot-search", "Tool Invocation Fails", `gateway.catalog_search({ query: "tool-name" })`),
  v(
    "pmcp.troubleshoot-describe",
    "Tool Invocation Fails",
    `gateway.describe({ tool_id: "server::tool-name" })`,
  ),
  v("pmcp.troubleshoot-list-pending", "Tool Invocation Fails", "gateway.list_pending()"),
];
