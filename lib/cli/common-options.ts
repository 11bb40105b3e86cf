import { InvalidArgumentError, Option } from "commander";

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("expected a port number 0-65535");
  return n;
}

function parseBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024)
    throw new InvalidArgumentError("expected a byte count of at least 1024");
  return n;
}

/** Flags every server subcommand takes: transport, bind address, auth, logging. */
export function commonServerOptions(defaultPort: number, authEnv: string[]): Option[] {
  const tokenEnvs = ["MCPKIT_AUTH_TOKEN", ...authEnv].join(" or ");
  return [
    new Option("-t, --transport <kind>", "how clients connect")
      .choices(["stdio", "http", "sse"])
      .default("stdio")
      .env("MCPKIT_TRANSPORT"),
    new Option("--host <address>", "address to bind for http/sse").default("127.0.0.1").env("MCPKIT_HOST"),
    new Option("-p, --port <number>", "port for http/sse (0 picks a free one)")
      .default(defaultPort)
      .argParser(parsePort)
      .env("MCPKIT_PORT"),
    new Option(
      "--auth-token <token>",
      `require "Authorization: Bearer <token>" on http/sse (env: ${tokenEnvs})`,
    ),
    new Option(
      "--oauth-issuer <url>",
      "OAuth 2.1 resource server on http/sse: accept access tokens issued by this authorization server (its metadata and JWKS are discovered; see docs/oauth.md)",
    ).env("MCPKIT_OAUTH_ISSUER"),
    new Option(
      "--oauth-resource <url>",
      "this server's MCP URL as clients reach it (RFC 9728 resource; default http://<host>:<port>/mcp, required off loopback)",
    ).env("MCPKIT_OAUTH_RESOURCE"),
    new Option(
      "--oauth-audience <uri>",
      "audience (aud) a token must carry, comma-separated for several (default: the resource URL)",
    ).env("MCPKIT_OAUTH_AUDIENCE"),
    new Option(
      "--oauth-scopes <map>",
      "scopes that open tool classes: read-only tools need a read scope, other tools a write scope (write also opens read); '|' separates alternatives, '*' opens a class to any valid token",
    )
      .default("read=mcp:read,write=mcp:write")
      .env("MCPKIT_OAUTH_SCOPES"),
    new Option("--allow-unauthenticated", "allow a non-loopback bind without --auth-token or --oauth-issuer"),
    new Option("--max-body-bytes <bytes>", "largest accepted HTTP request body")
      .default(4 * 1024 * 1024)
      .argParser(parseBytes),
    // No fixed default: stdio servers stay quiet (warn) because clients show every stderr line as an
    // error; http/sse servers log at info.
    new Option("--log-level <level>", "stderr log level (default: warn on stdio, info on http/sse)")
      .choices(["debug", "info", "warn", "error", "silent"])
      .env("MCPKIT_LOG_LEVEL"),
    new Option("--log-format <format>", "stderr log format").choices(["text", "json"]).default("text"),
  ];
}
