import { ConfigError } from "../../core/errors.ts";

/** The part of an authorization server's metadata (RFC 8414 / OpenID Connect Discovery) we use. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  [key: string]: unknown;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** HTTPS, or plain HTTP on this machine only (tests, local providers); no query, no fragment. */
export function checkEndpointUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} is not a URL: give an absolute https:// URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(`${what} must use https:// (plain http is accepted only on localhost)`);
  }
  if (url.hash) throw new ConfigError(`${what} must not have a #fragment`);
  return url;
}

/** Where an issuer publishes its metadata: OpenID Connect Discovery first, then RFC 8414's path-inserted form. */
export function metadataUrls(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/$/, "");
  const oidc = new URL(`${path}/.well-known/openid-configuration`, issuer);
  const rfc8414 = new URL(`/.well-known/oauth-authorization-server${path}`, issuer);
  return oidc.href === rfc8414.href ? [oidc] : [oidc, rfc8414];
}

const sameIssuer = (a: string, b: string) => a.replace(/\/$/, "") === b.replace(/\/$/, "");

/**
 * Fetches the issuer's metadata. The document must name the configured issuer (RFC 8414 §3.3: a
 * document naming another issuer is refused, not followed); its `issuer` spelling (a trailing slash, as
 * Auth0 writes it) is the one tokens are checked against.
 */
export async function discoverIssuer(
  issuer: URL,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 5000,
): Promise<IssuerMetadata> {
  const problems: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let res: Response;
    try {
      res = await fetchFn(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      problems.push(`${url.href}: ${(err as Error).message}`);
      continue;
    }
    if (!res.ok) {
      problems.push(`${url.href}: HTTP ${res.status}`);
      await res.body?.cancel().catch(() => {});
      continue;
    }
    let doc: IssuerMetadata;
    try {
      doc = (await res.json()) as IssuerMetadata;
    } catch {
      problems.push(`${url.href}: not JSON`);
      continue;
    }
    if (typeof doc?.issuer !== "string" || !sameIssuer(doc.issuer, issuer.href)) {
      problems.push(`${url.href}: names issuer ${JSON.stringify(doc?.issuer)}, not ${issuer.href}`);
      continue;
    }
    if (doc.jwks_uri !== undefined) checkEndpointUrl(String(doc.jwks_uri), "the issuer's jwks_uri");
    if (doc.introspection_endpoint !== undefined) {
      checkEndpointUrl(String(doc.introspection_endpoint), "the issuer's introspection_endpoint");
    }
    return doc;
  }
  throw new Error(`cannot read the authorization server's metadata (${problems.join("; ")})`);
}
