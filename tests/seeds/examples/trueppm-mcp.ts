import type { SeedExample } from "./types.ts";

// Examples of shared/seeds/trueppm-mcp.txt (trueppm-mcp's operator page), verbatim (table rows as one
// line each, cells separated by " | ").

const seed = "trueppm-mcp.txt" as const;

export const TRUEPPM_EXAMPLES: readonly SeedExample[] = [
  {
    id: "trueppm.env-url",
    seed,
    section: "Configuration",
    text: "TRUEPPM_API_URL | yes | Base URL of your instance, e.g. https://ppm.example.com. The /api/v1 suffix is appended automatically if you omit it (and is idempotent if you include it).",
    run: "verbatim",
  },
  {
    id: "trueppm.env-token",
    seed,
    section: "Configuration",
    text: "TRUEPPM_API_TOKEN | yes | A project API token (tppm_<64-hex>) with the mcp:read scope.",
    run: "verbatim",
  },
  {
    id: "trueppm.env-missing",
    seed,
    section: "Configuration",
    text: "If either variable is missing or blank, the process exits immediately with exit code 2 and an actionable message on stderr — it names the absent variable and never echoes the token.",
    run: "verbatim",
  },
  {
    id: "trueppm.boot-check",
    seed,
    section: "Configuration",
    text: "On startup the server calls GET /api/v1/auth/me/ once to confirm the token authenticates, so a bad token fails the boot with a clear error rather than letting every query 401 later.",
    run: "adapted",
    difference:
      "the check runs right after the handshake instead of before it (clients give up on slow starts and then show only 'Connection closed'): a bad token gets the same clear error from every tool call, and `trueppm-mcp check` exits 3 with it for scripts",
  },
  {
    id: "trueppm.flag-stdio",
    seed,
    section: "Transports",
    text: "--transport stdio | stdio (default) | — | The AI client spawns the server as a local subprocess.",
    run: "verbatim",
  },
  {
    id: "trueppm.flag-http",
    seed,
    section: "Transports",
    text: "--transport http | Streamable HTTP | 127.0.0.1:8000 | A web/shared assistant connects over HTTP.",
    run: "verbatim",
  },
  {
    id: "trueppm.flag-sse",
    seed,
    section: "Transports",
    text: "--transport sse | Server-Sent Events | 127.0.0.1:8000 | A client that only speaks the older SSE transport.",
    run: "verbatim",
  },
  {
    id: "trueppm.install",
    seed,
    section: "stdio",
    text: "pip install trueppm-mcp",
    run: "not-run",
    difference:
      "PyPI package; mcpkit installs from npm (`npm install -g ./mcpkit-<version>.tgz` from a clone today, `npm install -g mcpkit` after the first release, gives `trueppm-mcp`)",
  },
  {
    id: "trueppm.run-stdio",
    seed,
    section: "stdio",
    text: `TRUEPPM_API_URL=https://ppm.example.com \\
TRUEPPM_API_TOKEN=tppm_your_token_here \\
trueppm-mcp # stdio; Ctrl-C to stop`,
    run: "verbatim",
  },
  {
    id: "trueppm.run-http",
    seed,
    section: "Streamable HTTP",
    text: `TRUEPPM_API_URL=https://ppm.example.com \\
TRUEPPM_API_TOKEN=tppm_your_token_here \\
trueppm-mcp --transport http --host 127.0.0.1 --port 8000`,
    run: "verbatim",
  },
  {
    id: "trueppm.docker-build",
    seed,
    section: "Container",
    text: "docker build -t trueppm-mcp packages/mcp/",
    run: "not-run",
    difference:
      "no Docker engine on the test machines, and the Dockerfile sits at the repository root (`docker build -t trueppm-mcp .`); tests/trueppm/http.test.ts checks the Dockerfile",
  },
  {
    id: "trueppm.docker-stdio",
    seed,
    section: "Container",
    text: `docker run --rm -i \\
-e TRUEPPM_API_URL=https://ppm.example.com \\
-e TRUEPPM_API_TOKEN=tppm_your_token_here \\
trueppm-mcp`,
    run: "adapted",
    difference:
      "no Docker engine here: the image's ENTRYPOINT runs as a process with the same -e variables and arguments",
  },
  {
    id: "trueppm.docker-http",
    seed,
    section: "Container",
    text: `docker run --rm -p 8000:8000 \\
-e TRUEPPM_API_URL=https://ppm.example.com \\
-e TRUEPPM_API_TOKEN=tppm_your_token_here \\
trueppm-mcp --transport http --host 0.0.0.0 --port 8000`,
    run: "adapted",
    difference:
      "refused on purpose: a 0.0.0.0 bind without a token exits 2 naming MCPKIT_AUTH_TOKEN (`-p 8000:8000` publishes on every host interface); add `-e MCPKIT_AUTH_TOKEN=<secret>` and clients send it as a bearer token. Run as the ENTRYPOINT process (no Docker engine here)",
  },
  {
    id: "trueppm.troubleshoot-404",
    seed,
    section: "Troubleshooting",
    text: "A tool returns a 404 for a resource you expect to see | The token’s role on its project/program does not permit reading that resource — 404 is the deliberate existence oracle, identical to the web client.",
    run: "verbatim",
  },
];
