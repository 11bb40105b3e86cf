import { ConfigError } from "../../core/errors.ts";
import { checkEndpointUrl } from "./issuer.ts";
import { DEFAULT_SCOPE_MAP_TEXT, parseScopeMap, type ScopeMap } from "./scopes.ts";

/** Everything the OAuth resource server needs, validated at start-up (no network yet). */
export interface OAuthSettings {
  issuer: URL;
  /** The issuer exactly as configured (a trailing slash matters: it must match the metadata's `issuer`). */
  issuerId: string;
  /** This server's MCP URL as clients reach it; undefined = derived from the listener. */
  resource?: URL;
  /** Accepted `aud` values (normalised); undefined = this server's resource URLs. */
  audiences?: string[];
  scopes: ScopeMap;
  /** For RFC 7662 introspection of opaque tokens (from the environment only, never a flag). */
  introspectionClient?: { id: string; secret: string };
  /** Least time between two JWKS downloads caused by an unknown key id. */
  jwksCooldownMs: number;
  /** Seconds of clock skew tolerated on exp/nbf. */
  clockToleranceSec: number;
}

export const OAUTH_FLAG_KEYS = ["oauthIssuer", "oauthAudience", "oauthResource", "oauthScopes"] as const;

const trimmed = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Builds the OAuth settings from the parsed flags (commander already merged MCPKIT_OAUTH_* variables)
 * and the environment, or returns undefined when no issuer is configured. Throws ConfigError (exit 2)
 * with the flag or variable named, never a secret.
 */
export function resolveOAuthSettings(
  flags: Record<string, unknown>,
  env: Record<string, string | undefined>,
  host: string,
  isLoopback: (host: string) => boolean,
): OAuthSettings | undefined {
  const issuerText = trimmed(flags.oauthIssuer);
  if (!issuerText) {
    for (const [key, flag] of [
      ["oauthAudience", "--oauth-audience"],
      ["oauthResource", "--oauth-resource"],
    ] as const) {
      if (trimmed(flags[key])) throw new ConfigError(`${flag} needs --oauth-issuer (or MCPKIT_OAUTH_ISSUER)`);
    }
    return undefined;
  }
  const issuer = checkEndpointUrl(issuerText, "--oauth-issuer (MCPKIT_OAUTH_ISSUER)");
  if (issuer.search) throw new ConfigError("--oauth-issuer (MCPKIT_OAUTH_ISSUER) must not have a ?query");

  const resourceText = trimmed(flags.oauthResource);
  const resource = resourceText
    ? checkEndpointUrl(resourceText, "--oauth-resource (MCPKIT_OAUTH_RESOURCE)")
    : undefined;
  if (!resource && !isLoopback(host)) {
    throw new ConfigError(
      `--oauth-resource is needed when listening on ${host}: give the https:// URL clients use to reach /mcp (tokens are bound to it)`,
    );
  }

  const audienceText = trimmed(flags.oauthAudience);
  const audiences = audienceText
    ? audienceText
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean)
    : undefined;

  const id = env.MCPKIT_OAUTH_CLIENT_ID?.trim();
  const secret = env.MCPKIT_OAUTH_CLIENT_SECRET?.trim();
  if (Boolean(id) !== Boolean(secret)) {
    throw new ConfigError(
      `set both MCPKIT_OAUTH_CLIENT_ID and MCPKIT_OAUTH_CLIENT_SECRET (token introspection), or neither; ${id ? "MCPKIT_OAUTH_CLIENT_SECRET" : "MCPKIT_OAUTH_CLIENT_ID"} is missing`,
    );
  }

  const cooldownText = env.MCPKIT_OAUTH_JWKS_COOLDOWN_MS?.trim();
  const jwksCooldownMs = cooldownText ? Number(cooldownText) : 30_000;
  if (!Number.isInteger(jwksCooldownMs) || jwksCooldownMs < 0) {
    throw new ConfigError("MCPKIT_OAUTH_JWKS_COOLDOWN_MS must be a whole number of milliseconds (0 or more)");
  }

  return {
    issuer,
    issuerId: issuerText,
    resource,
    audiences,
    scopes: parseScopeMap(trimmed(flags.oauthScopes) ?? DEFAULT_SCOPE_MAP_TEXT),
    introspectionClient: id && secret ? { id, secret } : undefined,
    jwksCooldownMs,
    clockToleranceSec: 60,
  };
}
