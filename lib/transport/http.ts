import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NodeStreamableHTTPServerTransport, toNodeHandler } from "@modelcontextprotocol/node";
import type { McpServer } from "@modelcontextprotocol/server";
import { createMcpHandler, isInitializeRequest } from "@modelcontextprotocol/server";
import { SSEServerTransport } from "@modelcontextprotocol/server-legacy/sse";
import type { ServerApp } from "../core/app.ts";
import { StartupError } from "../core/errors.ts";
import { BadJsonError, BodyTooLargeError, readJsonBody } from "./body.ts";
import { isModernRequest } from "./era.ts";
import { assertBindAllowed, checkBearer, checkHostAndOrigin, isLoopbackHost } from "./guard.ts";
import type { HttpOptions } from "./options.ts";

interface Session {
  server: McpServer;
  close(): Promise<void>;
}

export interface RunningHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/** The paths that serve MCP and require the bearer token when one is set. */
const MCP_PATHS = new Set(["/mcp", "/sse", "/messages"]);

/** OAuth and OpenID discovery and endpoints a client may probe after a 401. */
const OAUTH_PATH =
  /^\/(\.well-known\/(oauth-protected-resource|oauth-authorization-server|openid-configuration)(\/.*)?|register|authorize|token)$|\/\.well-known\/openid-configuration$/;

function sendNotFound(res: ServerResponse, path: string) {
  const text = OAUTH_PATH.test(path)
    ? "Not found: this MCP server does not use OAuth. It takes a static bearer token: send Authorization: Bearer <token> (the token the server was started with, --auth-token or MCPKIT_AUTH_TOKEN).\n"
    : "Not found: MCP is served at /mcp (Streamable HTTP) and /sse (legacy SSE)\n";
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(text);
}

/**
 * 401 in the form RFC 6750 describes: `WWW-Authenticate: Bearer realm="mcpkit"`, plus
 * `error="invalid_token"` only when a token was sent (a request without credentials gets no error code),
 * and a plain-text body that says what to send, so clients show it instead of parsing it as an OAuth error.
 */
function sendUnauthorized(req: IncomingMessage, res: ServerResponse) {
  const presented = Boolean(req.headers.authorization?.trim());
  const challenge = presented
    ? 'Bearer realm="mcpkit", error="invalid_token", error_description="the bearer token does not match this server\'s token"'
    : 'Bearer realm="mcpkit"';
  const text = presented
    ? "Unauthorized: the bearer token does not match. This MCP server needs the token it was started with (--auth-token or MCPKIT_AUTH_TOKEN), sent as Authorization: Bearer <token>.\n"
    : "Unauthorized: this MCP server needs a bearer token. Send Authorization: Bearer <token> with the token it was started with (--auth-token or MCPKIT_AUTH_TOKEN).\n";
  res
    .writeHead(401, { "www-authenticate": challenge, "content-type": "text/plain; charset=utf-8" })
    .end(text);
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
}

/**
 * Serves an app over Streamable HTTP (`/mcp`) and legacy SSE (`GET /sse` + `POST /messages`) on one
 * node:http listener, with bearer auth, Host/Origin checks on loopback binds, a body cap and `/healthz`.
 * Both protocols are served on either transport choice; `primary` only decides the URL we announce.
 *
 * `/mcp` serves both protocol eras from the same app. A request carrying the 2026-07-28 `_meta` envelope
 * is served statelessly (one server instance per request, no session); a 2025-era client opens a session
 * with `initialize` and keeps it (`Mcp-Session-Id`), because list_changed, progress and elicitation reach
 * it over that session's streams. The checks in front (Host/Origin, bearer token, body cap) apply to both.
 * Routing uses the SDK's own classifier, so a malformed 2026-07-28 claim gets the modern handler's errors.
 *
 * Throws unless the bind is safe: loopback, or a token, or an explicit --allow-unauthenticated.
 */
export async function serveHttp(
  app: ServerApp,
  opts: HttpOptions,
  primary: "http" | "sse",
): Promise<RunningHttp> {
  assertBindAllowed(opts);
  const loopback = isLoopbackHost(opts.host);
  const streamable = new Map<string, { transport: NodeStreamableHTTPServerTransport } & Session>();
  const sse = new Map<string, { transport: SSEServerTransport } & Session>();
  const log = opts.log;
  // OAuth resource-server mode (--oauth-issuer): loaded only when configured (jose stays out otherwise).
  const oauth = opts.oauth
    ? (await import("./oauth/gate.ts")).createOAuthGate(opts.oauth, log, opts.authToken)
    : undefined;
  const modern = createMcpHandler(() => app.createServer(), {
    legacy: "reject",
    ...(app.events ? { bus: app.events } : {}),
    onerror: (err) => log.debug("2026-07-28 request failed", { error: err.message }),
  });
  const serveModern = toNodeHandler(modern, {
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => log.error("2026-07-28 request failed", { error: err.message }),
  });

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    const sid = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(sid) ? sid[0] : sid;
    if (req.method === "POST") {
      const body = await readJsonBody(req, opts.maxBodyBytes);
      if (!sessionId && isModernRequest(req, body)) return serveModern(req, res, body);
      if (sessionId) {
        const s = streamable.get(sessionId);
        if (!s) return sendJsonRpcError(res, 404, "Session not found: start a new session with initialize");
        return s.transport.handleRequest(req, res, body);
      }
      if (!isInitialize(body)) {
        return sendJsonRpcError(
          res,
          400,
          "Bad Request: no Mcp-Session-Id header, and the request is neither initialize (2025-era session) nor a 2026-07-28 request with its _meta envelope",
        );
      }
      const server = app.createServer();
      const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          streamable.set(id, { transport, server, close: () => server.close() });
          log.debug("http session opened", { session: id });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) streamable.delete(transport.sessionId);
        void server.close().catch(() => {});
      };
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === "GET" || req.method === "DELETE") {
      // Without a session this is no 2025-era stream: the 2026-07-28 handler answers (405 for both).
      if (!sessionId) return serveModern(req, res);
      const s = streamable.get(sessionId);
      if (!s) return sendJsonRpcError(res, 404, "Session not found: start a new session with initialize");
      return s.transport.handleRequest(req, res);
    }
    res.writeHead(405, { allow: "GET, POST, DELETE" }).end();
  };

  const handleSse = async (_req: IncomingMessage, res: ServerResponse) => {
    const server = app.createServer();
    const transport = new SSEServerTransport("/messages", res);
    const id = transport.sessionId;
    sse.set(id, { transport, server, close: () => server.close() });
    res.on("close", () => {
      sse.delete(id);
      void server.close().catch(() => {});
    });
    await server.connect(transport);
  };

  const handleMessages = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const id = url.searchParams.get("sessionId") ?? "";
    const s = sse.get(id);
    if (!s) return sendJsonRpcError(res, 404, "Unknown sessionId: open GET /sse first");
    const body = await readJsonBody(req, opts.maxBodyBytes);
    await s.transport.handlePostMessage(req, res, body);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (loopback) {
      const problem = checkHostAndOrigin(req);
      if (problem) return sendJsonRpcError(res, 403, `Forbidden: ${problem}`);
    }
    // Only the MCP endpoints need the token. Without --oauth-issuer everything else, the OAuth discovery
    // paths included, is a plain 404 for anyone: a client that finds no OAuth metadata asks its user for
    // a token instead of starting (and failing) an OAuth flow on the 401. With it, lib/transport/oauth
    // serves the RFC 9728 metadata and checks tokens.
    if (!MCP_PATHS.has(url.pathname)) {
      if (oauth?.serveDiscovery(req, res, url)) return;
      return sendNotFound(res, url.pathname);
    }
    if (oauth) {
      if (!(await oauth.authorize(req, res, url))) return;
    } else if (opts.authToken && !checkBearer(req, opts.authToken)) return sendUnauthorized(req, res);
    if (url.pathname === "/mcp") return handleMcp(req, res);
    if (url.pathname === "/sse" && req.method === "GET") return handleSse(req, res);
    if (url.pathname === "/messages" && req.method === "POST") return handleMessages(req, res, url);
    res
      .writeHead(405, { allow: url.pathname === "/sse" ? "GET" : "POST", "content-type": "text/plain" })
      .end(`Method not allowed: ${url.pathname} takes ${url.pathname === "/sse" ? "GET" : "POST"}\n`);
  };

  const httpServer: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        // After a drained body the answer reaches the client; otherwise the connection closes after it.
        sendJsonRpcError(
          res,
          413,
          `Payload Too Large: ${err.message}; raise --max-body-bytes on the server if this is expected`,
          { connection: "close" },
        );
        return;
      }
      if (err instanceof BadJsonError) return sendJsonRpcError(res, 400, `Parse error: ${err.message}`);
      log.error("http request failed", { error: err instanceof Error ? err.message : String(err) });
      sendJsonRpcError(res, 500, "Internal server error");
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "the port is in use; pick another with --port" : err.message;
      reject(new StartupError(`cannot listen on ${opts.host}:${opts.port}: ${why}`, 1));
    });
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const url = `http://${hostForUrl}:${port}${primary === "sse" ? "/sse" : "/mcp"}`;
  oauth?.listening(`http://${hostForUrl}:${port}`, primary === "sse" ? "/sse" : "/mcp");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () => {
      closing ??= (async () => {
        const all = [...streamable.values(), ...sse.values()];
        streamable.clear();
        sse.clear();
        await Promise.allSettled([...all.map((s) => s.close()), modern.close()]);
        httpServer.closeAllConnections?.();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
