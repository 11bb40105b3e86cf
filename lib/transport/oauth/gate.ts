import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo, OAuthProtectedResourceMetadata } from "@modelcontextprotocol/server";
import {
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
} from "@modelcontextprotocol/server";
import type { Logger } from "../../core/log.ts";
import { TOOL_ACCESS_KEY, type ToolAccess } from "../../core/tools/access.ts";
import { checkBearer, hostnameOf, isLoopbackHost } from "../guard.ts";
import type { OAuthSettings } from "./config.ts";
import { advertisedScopes, grantedClasses, missingScopeFor } from "./scopes.ts";
import {
  IssuerTokenVerifier,
  IssuerUnavailableError,
  normalizeAudience,
  type VerifiedToken,
} from "./verifier.ts";

/** The part of the HTTP transport's request handling that OAuth owns. */
export interface OAuthGate {
  /** Answers the OAuth discovery paths (RFC 9728 metadata, and a 404 naming the issuer for the rest). */
  serveDiscovery(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /**
   * Checks the request's credentials: a valid token (or the static `--auth-token`) lets it through with
   * `req.auth` set for the SDK; anything else is answered here (400/401/403/503) and false returned.
   */
  authorize(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Told the listener's origin (the default resource and audiences derive from it). */
  listening(origin: string, primaryPath: "/mcp" | "/sse"): void;
}

const PRM_PREFIX = "/.well-known/oauth-protected-resource";
/** Authorization-server paths clients probe on the resource's own origin; mcpkit serves none of them. */
const AS_PATHS =
  /^\/(\.well-known\/(oauth-authorization-server|openid-configuration)(\/.*)?|register|authorize|token)$|\/\.well-known\/openid-configuration$/;

/** The MCP endpoint a request path belongs to, for its resource URL. */
const endpointOf = (path: string): "/mcp" | "/sse" => (path === "/mcp" ? "/mcp" : "/sse");

async function send(res: ServerResponse, response: Response, headers: Record<string, string> = {}) {
  const out: Record<string, string> = { ...headers };
  response.headers.forEach((v, k) => {
    out[k] = v;
  });
  res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
}

export function createOAuthGate(settings: OAuthSettings, log: Logger, staticToken?: string): OAuthGate {
  let origin: string | undefined;
  let primary: "/mcp" | "/sse" = "/mcp";
  const scopes = advertisedScopes(settings.scopes);

  /**
   * The resource URL of an endpoint: --oauth-resource with its last /mcp or /sse segment swapped; without
   * it (loopback binds only) the listener's, spelt with the loopback name the client used (`localhost` or
   * `127.0.0.1`), because clients insist that the metadata's resource matches the URL they were given.
   */
  const resourceFor = (endpoint: "/mcp" | "/sse", req?: IncomingMessage): URL => {
    const configured = settings.resource;
    if (!configured) {
      const host = req?.headers.host;
      const base =
        host && isLoopbackHost(hostnameOf(host)) ? `http://${host}` : (origin ?? "http://127.0.0.1");
      return new URL(endpoint, base);
    }
    const url = new URL(configured);
    url.pathname = url.pathname.replace(/\/(mcp|sse)\/?$/, endpoint);
    return url;
  };
  const audiences = (): string[] => {
    if (settings.audiences?.length) return settings.audiences.map(normalizeAudience);
    const own: string[] = [];
    if (settings.resource)
      own.push(settings.resource.href, resourceFor("/mcp").href, resourceFor("/sse").href);
    else if (origin) {
      const port = new URL(origin).port;
      for (const name of ["127.0.0.1", "localhost", "[::1]", new URL(origin).hostname]) {
        own.push(`http://${name}:${port}/mcp`, `http://${name}:${port}/sse`);
      }
    }
    return [...new Set(own.map(normalizeAudience))];
  };

  const verifier = new IssuerTokenVerifier({
    issuer: settings.issuer,
    audiences,
    introspectionClient: settings.introspectionClient,
    clockToleranceSec: settings.clockToleranceSec,
    jwksCooldownMs: settings.jwksCooldownMs,
  });
  // Discover early so the first request does not wait, and say so once if the issuer is unreachable.
  // The PRM names the issuer as its metadata spells it (clients compare the two exactly).
  let issuerId = settings.issuerId;
  verifier.issuerMetadata().then(
    (m) => {
      issuerId = m.issuer;
      log.debug("oauth: issuer metadata loaded", { issuer: m.issuer });
    },
    (err: Error) =>
      log.warn(`oauth: ${err.message}; tokens are refused (503) until the issuer answers`, {
        issuer: settings.issuer.href,
      }),
  );

  const metadataDocument = (resource: URL): OAuthProtectedResourceMetadata => ({
    resource: resource.href,
    authorization_servers: [issuerId],
    scopes_supported: scopes,
    bearer_methods_supported: ["header"],
    resource_name: "mcpkit",
  });

  /** PRM paths: the bare one (primary endpoint), `/mcp`, `/sse`, and --oauth-resource's own path. */
  const metadataFor = (path: string, req: IncomingMessage): URL | undefined => {
    const suffix = path.slice(PRM_PREFIX.length).replace(/\/$/, "");
    if (suffix === "") return resourceFor(primary, req);
    if (suffix === "/mcp" || suffix === "/sse") return resourceFor(suffix, req);
    if (settings.resource && suffix === settings.resource.pathname.replace(/\/$/, ""))
      return settings.resource;
    return undefined;
  };

  /**
   * Sessions belong to the caller that uses them first (MCP security best practice: bind session ids to
   * the user): another subject presenting the same `Mcp-Session-Id` (or SSE `sessionId`) is told the
   * session does not exist. Bounded: the oldest bindings go first.
   */
  const sessionOwners = new Map<string, string>();
  const sessionKey = (req: IncomingMessage, url: URL): string | undefined => {
    const sid = req.headers["mcp-session-id"];
    const id = (Array.isArray(sid) ? sid[0] : sid) ?? url.searchParams.get("sessionId") ?? undefined;
    return id ? `${url.pathname === "/mcp" ? "mcp" : "sse"}:${id}` : undefined;
  };
  const ownsSession = (req: IncomingMessage, url: URL, subject: string): boolean => {
    const key = sessionKey(req, url);
    if (!key) return true;
    const owner = sessionOwners.get(key);
    if (owner === undefined) {
      if (sessionOwners.size >= 10_000) sessionOwners.delete(sessionOwners.keys().next().value!);
      sessionOwners.set(key, subject);
      return true;
    }
    return owner === subject;
  };
  const refuseSession = (res: ServerResponse) => {
    res.writeHead(404, { "content-type": "application/json" }).end(
      JSON.stringify({
        jsonrpc: "2.0",
        error: { code: -32001, message: "Session not found: start a new session with initialize" },
        id: null,
      }),
    );
  };

  const accessFor = (token: VerifiedToken | undefined): ToolAccess => {
    const subject = token?.subject ?? "static-token";
    const clientId = token?.clientId;
    const granted = token?.scopes ?? [];
    return {
      subject,
      clientId,
      scopes: granted,
      missingScope: (hints) => (token ? missingScopeFor(settings.scopes, granted, hints) : undefined),
      audit: ({ tool, ok, refused }) =>
        log.info("tool call", { subject, client: clientId, tool, ok, ...(refused ? { refused } : {}) }),
    };
  };

  return {
    listening(listenerOrigin, primaryPath) {
      origin = listenerOrigin;
      primary = primaryPath;
    },

    serveDiscovery(req, res, url) {
      if (url.pathname === PRM_PREFIX || url.pathname.startsWith(`${PRM_PREFIX}/`)) {
        const resource = metadataFor(url.pathname, req);
        if (!resource) return false;
        log.debug("oauth: protected-resource metadata requested", { path: url.pathname, method: req.method });
        const cors = { "access-control-allow-origin": "*" };
        if (req.method === "OPTIONS") {
          res.writeHead(204, { ...cors, "access-control-allow-methods": "GET, HEAD, OPTIONS" }).end();
        } else if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405, { ...cors, allow: "GET, HEAD, OPTIONS" }).end();
        } else {
          const body = JSON.stringify(metadataDocument(resource));
          res.writeHead(200, { ...cors, "content-type": "application/json", "cache-control": "max-age=300" });
          res.end(req.method === "HEAD" ? undefined : body);
        }
        return true;
      }
      if (AS_PATHS.test(url.pathname)) {
        log.debug("oauth: authorization-server path probed", { path: url.pathname });
        res
          .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
          .end(
            `Not found: mcpkit is an OAuth resource server, not an authorization server. Sign in at ${issuerId} (named in ${PRM_PREFIX}).\n`,
          );
        return true;
      }
      return false;
    },

    async authorize(req, res, url) {
      const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(
        resourceFor(endpointOf(url.pathname), req),
      );
      const challenge = (error: OAuthError, requiredScopes = scopes) =>
        send(res, bearerAuthChallengeResponse(error, { requiredScopes, resourceMetadataUrl }));

      if (url.searchParams.has("access_token")) {
        log.info("oauth: refused a token in the URL query");
        await challenge(
          new OAuthError(
            OAuthErrorCode.InvalidRequest,
            "access tokens in the URL query are refused (they end up in logs); send Authorization: Bearer <token>",
          ),
        );
        return false;
      }
      if (staticToken && checkBearer(req, staticToken)) {
        if (!ownsSession(req, url, "static-token")) {
          refuseSession(res);
          return false;
        }
        setAuth(req, {
          token: "",
          clientId: "static-token",
          scopes: [],
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          extra: { subject: "static-token", [TOOL_ACCESS_KEY]: accessFor(undefined) },
        });
        return true;
      }

      if (!req.headers.authorization?.trim()) {
        // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
        log.debug("oauth: request without a token", { path: url.pathname, method: req.method });
        res
          .writeHead(401, {
            "www-authenticate": `Bearer resource_metadata="${resourceMetadataUrl}"${scopes.length ? `, scope="${scopes.join(" ")}"` : ""}`,
            "content-type": "text/plain; charset=utf-8",
          })
          .end(
            `Unauthorized: this MCP server takes OAuth access tokens issued by ${issuerId} (send Authorization: Bearer <token>); its metadata is at ${resourceMetadataUrl}.\n`,
          );
        return false;
      }
      let verified: VerifiedToken | undefined;
      let info: AuthInfo;
      try {
        info = await verifyBearerToken(req.headers.authorization, {
          verifier: {
            verifyAccessToken: async (token) => {
              verified = await verifier.verify(token);
              return {
                token,
                clientId: verified.clientId,
                scopes: verified.scopes,
                expiresAt: verified.expiresAt,
                resource: URL.canParse(verified.audience) ? new URL(verified.audience) : undefined,
              };
            },
          },
          resourceMetadataUrl,
        });
      } catch (err) {
        if (err instanceof IssuerUnavailableError) {
          log.warn(`oauth: ${err.message}`);
          res.writeHead(503, { "content-type": "application/json", "retry-after": "5" }).end(
            JSON.stringify({
              error: "temporarily_unavailable",
              error_description:
                "the authorization server cannot be reached to check the token; try again shortly",
            }),
          );
          return false;
        }
        if (err instanceof OAuthError) {
          if (req.headers.authorization) log.info("oauth: token refused", { reason: err.message });
          await challenge(err);
          return false;
        }
        throw err;
      }
      const token = verified!;
      if (!grantedClasses(settings.scopes, token.scopes).read) {
        const needed = settings.scopes.read.filter((s) => s !== "*");
        log.info("oauth: token without an mcpkit scope", { subject: token.subject, client: token.clientId });
        await challenge(
          new OAuthError(
            OAuthErrorCode.InsufficientScope,
            `the token carries none of the scopes this server maps to tools; ask for ${needed.join(" or ")}`,
          ),
          needed.length ? needed : scopes,
        );
        return false;
      }
      if (!ownsSession(req, url, `${token.issuer} ${token.subject}`)) {
        log.info("oauth: session used by another subject refused", { subject: token.subject });
        refuseSession(res);
        return false;
      }
      setAuth(req, {
        ...info,
        extra: { subject: token.subject, issuer: token.issuer, [TOOL_ACCESS_KEY]: accessFor(token) },
      });
      return true;
    },
  };
}

/** The SDK's Node adapters forward `req.auth` to handlers as `ctx.http.authInfo`. */
function setAuth(req: IncomingMessage, info: AuthInfo) {
  (req as IncomingMessage & { auth?: AuthInfo }).auth = info;
}
