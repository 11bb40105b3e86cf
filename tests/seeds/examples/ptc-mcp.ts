import type { SeedExample } from "./types.ts";

// Examples of shared/seeds/ptc-mcp.txt (PTC-MCP's README), verbatim. The stored page lost leading
// whitespace; the Python program and config.yaml have their indentation back (neither parses without it).

const seed = "ptc-mcp.txt" as const;

export const PTC_EXAMPLES: readonly SeedExample[] = [
  {
    id: "ptc.list_callable_tools",
    seed,
    section: "list_callable_tools",
    text: `["mcp__financial_data__query_financials", "mcp__internal_apis__get_resource"]`,
    run: "verbatim",
  },
  {
    id: "ptc.inspect_tool",
    seed,
    section: "inspect_tool",
    text: `{
"name": "mcp__financial_data__query_financials",
"description": "Query financial statements for a given ticker.",
"inputSchema": { "type": "object", "properties": { "ticker": { "type": "string" } }, "required": ["ticker"] },
"outputSchema": null,
"note": "No output schema defined by the upstream server. Inspect the return value in your script."
}`,
    run: "verbatim",
  },
  {
    id: "ptc.execute_program",
    seed,
    section: "execute_program",
    text: `execute_program(code="""
tickers = ["AMZN", "MSFT", "GOOG"]
for t in tickers:
    data = await mcp__financial_data__query_financials(
        ticker=t, statement="income", period="quarter", limit=4
    )
    revenues = [q["revenue"] for q in data]
    trend = " → ".join(f"\${r/1e9:.1f}B" for r in revenues)
    print(f"{t}: {trend}")
""")
Three tool calls happen inside the script. Claude sees only:
[Script executed successfully]
AMZN: $170.0B → $165.3B → $158.9B → $149.2B
MSFT: $65.6B → $62.0B → $59.1B → $56.5B
GOOG: $96.5B → $88.3B → $85.0B → $80.5B`,
    run: "verbatim",
  },
  {
    id: "ptc.install",
    seed,
    section: "Installation",
    text: `uv venv && uv pip install -e ".[dev]"`,
    run: "not-run",
    difference:
      "PTC-MCP's Python checkout; mcpkit installs from npm (`npm install -g ./mcpkit-<version>.tgz` from a clone today, `npm install -g mcpkit` after the first release, gives `ptc-mcp`) and needs no Python unless a program asks for it",
  },
  {
    id: "ptc.config-yaml",
    seed,
    section: "Configuration",
    text: `servers:
  - name: financial-data
    transport: stdio
    command: node
    args: ["./financial-data-mcp/dist/index.js"]
  - name: internal-apis
    transport: sse
    url: "http://localhost:8080/mcp"
tools:
  block:
    - "mcp__internal_apis__delete_resource"
execution:
  timeout_seconds: 120
  max_output_bytes: 65536`,
    run: "verbatim",
  },
  {
    id: "ptc.config-env",
    seed,
    section: "Configuration",
    text: "Create a config.yaml (or set PTC_MCP_CONFIG to point elsewhere)",
    run: "verbatim",
  },
  {
    id: "ptc.no-config",
    seed,
    section: "Configuration",
    text: "The server starts fine with no config file or an empty servers list.",
    run: "verbatim",
  },
  {
    id: "ptc.run-module",
    seed,
    section: "Running",
    text: "uv run python -m ptc_mcp",
    run: "not-run",
    difference: "a Python module of PTC-MCP's checkout; mcpkit's entry point is the `ptc-mcp` command below",
  },
  {
    id: "ptc.run-entry-point",
    seed,
    section: "Running",
    text: "ptc-mcp",
    run: "verbatim",
  },
  {
    id: "ptc.tests",
    seed,
    section: "Testing",
    text: "uv run pytest tests/ -v",
    run: "not-run",
    difference: "PTC-MCP's own test suite; mcpkit's is `npm test`",
  },
  {
    id: "ptc.claude-desktop",
    seed,
    section: "claude_desktop_config.json",
    text: `{
"mcpServers": {
"ptc-mcp": {
"command": "npx",
"args": []
}
}
}`,
    run: "not-run",
    difference:
      'the catalog page\'s snippet names no package (`npx` with no arguments starts nothing, for PTC-MCP too); the working entry is `"command": "ptc-mcp"` (tested under § Running)',
  },
];
