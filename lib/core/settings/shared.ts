import { bool, choice, custom, int, text } from "./declare.ts";

/** Log levels, quietest last; Python's names (what the originals documented) read as ours. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
const PYTHON_LEVELS = { warning: "warn", critical: "error", fatal: "error" } as const;

/**
 * Settings every server command has: transport, bind address, auth, logging. The CLI consumes them;
 * a server sees only `ctx.transport` and `ctx.log`. A server adds its original's variables for them with
 * `sharedEnv` (`PTY_MCP_LOG` for the log level), read after mcpkit's own.
 */
export const SHARED_SETTINGS = {
  transport: choice(["stdio", "http", "sse"], {
    flag: "-t, --transport <kind>",
    env: ["MCPKIT_TRANSPORT"],
    default: "stdio",
    description: "how clients connect: stdio, Streamable HTTP at /mcp, or legacy SSE",
  }),
  host: text({
    flag: "--host <address>",
    env: ["MCPKIT_HOST"],
    default: "127.0.0.1",
    description: "address to bind for http/sse",
  }),
  // Each server has its own default port (ServerCommandSpec.defaultPort).
  port: int({
    flag: "-p, --port <number>",
    env: ["MCPKIT_PORT"],
    min: 0,
    max: 65535,
    invalid: "expected a port number 0-65535",
    defaultText: "the server's: gateway 3344, ptc 3345, pty 3346, ptm 3347, trueppm 8000",
    description: "port for http/sse (0 picks a free one)",
  }),
  authToken: text({
    flag: "--auth-token <token>",
    env: ["MCPKIT_AUTH_TOKEN"],
    secret: true,
    description: "require `Authorization: Bearer <token>` on http/sse",
  }),
  oauthIssuer: text({
    flag: "--oauth-issuer <url>",
    env: ["MCPKIT_OAUTH_ISSUER"],
    description:
      "OAuth 2.1 resource server on http/sse: accept access tokens issued by this authorization server (its metadata and JWKS are discovered; see `docs/oauth.md`)",
  }),
  oauthResource: text({
    flag: "--oauth-resource <url>",
    env: ["MCPKIT_OAUTH_RESOURCE"],
    description:
      "this server's MCP URL as clients reach it (RFC 9728 resource; default `http://<host>:<port>/mcp`, required off loopback)",
  }),
  oauthAudience: text({
    flag: "--oauth-audience <uri>",
    env: ["MCPKIT_OAUTH_AUDIENCE"],
    description: "audience (aud) a token must carry, comma-separated for several (default: the resource URL)",
  }),
  oauthScopes: text({
    flag: "--oauth-scopes <map>",
    env: ["MCPKIT_OAUTH_SCOPES"],
    default: "read=mcp:read,write=mcp:write",
    description:
      "scopes that open tool classes: read-only tools need a read scope, other tools a write scope (write also opens read); `|` separates alternatives, `*` opens a class to any valid token",
  }),
  allowUnauthenticated: bool({
    flag: "--allow-unauthenticated",
    default: false,
    description: "allow a non-loopback bind without --auth-token or --oauth-issuer",
  }),
  maxBodyBytes: int({
    flag: "--max-body-bytes <bytes>",
    default: 4 * 1024 * 1024,
    min: 1024,
    invalid: "expected a byte count of at least 1024",
    description: "largest accepted HTTP request body",
  }),
  // No fixed default: stdio servers stay quiet (warn) because clients show every stderr line as an
  // error; http/sse servers log at info.
  logLevel: custom({
    flag: "--log-level <level>",
    env: ["MCPKIT_LOG_LEVEL"],
    choices: LOG_LEVELS,
    defaultText: "warn on stdio, info on http/sse",
    description: "stderr log level (Python's WARNING, CRITICAL are read as warn, error)",
    schema: (z) =>
      z.string().transform((v, ctx) => {
        const s = v.trim().toLowerCase();
        const level = (LOG_LEVELS as readonly string[]).includes(s)
          ? (s as (typeof LOG_LEVELS)[number])
          : PYTHON_LEVELS[s as keyof typeof PYTHON_LEVELS];
        if (level) return level;
        ctx.addIssue({ code: "custom", message: `expected one of ${LOG_LEVELS.join(", ")}` });
        return z.NEVER;
      }),
  }),
  logFormat: choice(["text", "json"], {
    flag: "--log-format <format>",
    env: ["MCPKIT_LOG_FORMAT"],
    default: "text",
    synonyms: { plain: "text" },
    description: "stderr log format",
  }),
};

export type SharedSettings = typeof SHARED_SETTINGS;
export type SharedKey = keyof SharedSettings;
