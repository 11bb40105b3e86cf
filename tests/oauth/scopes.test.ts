import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ServerApp } from "../../lib/core/app.ts";
import { createLogger } from "../../lib/core/log.ts";
import { defineTool, structuredResult, type ToolCall } from "../../lib/core/tools/define-tool.ts";
import { ToolRegistry } from "../../lib/core/tools/tool-registry.ts";
import { isLoopbackHost } from "../../lib/transport/guard.ts";
import { type RunningHttp, serveHttp } from "../../lib/transport/http.ts";
import { resolveOAuthSettings } from "../../lib/transport/oauth/config.ts";
import { connectClientCredentials, type Era, postInitialize } from "./helpers.ts";
import { CLIENTS, makeKey, type RunningProvider, startProvider } from "./provider.ts";

// Scopes → tool classes, end to end: the real HTTP transport with its OAuth gate serves an app whose tools
// go through the real ToolRegistry, the SDK client gets real tokens from a real OpenID provider, and the
// registry filters and refuses by the scopes it finds on `ctx.http.authInfo`.

const tool = defineTool<ToolCall>();
const TOOLS = [
  tool({
    name: "look",
    title: "Look",
    description: "Reads something",
    input: z.object({}).strict(),
    hints: "read",
    handler: () => structuredResult({ seen: true }),
  }),
  tool({
    name: "whoami",
    title: "Who am I",
    description: "The caller as the tool sees it",
    input: z.object({}).strict(),
    hints: "openRead",
    handler: (_args, call) => structuredResult({ caller: call.caller ?? null }),
  }),
  tool({
    name: "change",
    title: "Change",
    description: "Changes something",
    input: z.object({}).strict(),
    hints: "destructive",
    handler: () => structuredResult({ changed: true }),
  }),
];

function app(): ServerApp {
  const registry = new ToolRegistry<ToolCall>(TOOLS, { context: (call) => call });
  return {
    createServer(extensions) {
      const server = new McpServer({ name: "scoped", version: "1" });
      registry.install(server.server, {}, { extra: extensions?.tools });
      extensions?.register?.(server);
      return server;
    },
    close: async () => {},
  };
}

async function serve(idp: RunningProvider, scopes?: string) {
  const lines: string[] = [];
  const log = createLogger({ level: "info", write: (l) => lines.push(l) });
  const oauth = resolveOAuthSettings(
    { oauthIssuer: idp.issuer, oauthScopes: scopes },
    {},
    "127.0.0.1",
    isLoopbackHost,
  );
  const running = await serveHttp(
    app(),
    { host: "127.0.0.1", port: 0, oauth, allowUnauthenticated: false, maxBodyBytes: 1 << 20, log },
    "http",
  );
  return { running, lines };
}

const names = (tools: Array<{ name: string }>) => tools.map((t) => t.name).sort();

describe("OAuth scopes open tool classes (ToolRegistry behind the HTTP gate)", () => {
  let idp: RunningProvider;
  let server: RunningHttp;
  let lines: string[];
  const origin = () => server.url.replace(/\/mcp$/, "");

  beforeAll(async () => {
    idp = await startProvider({ keys: [await makeKey("k1")] });
    ({ running: server, lines } = await serve(idp));
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  for (const era of ["2025", "2026"] as Era[]) {
    it(`a read-scoped token sees and calls only read-only tools; a write call is refused naming the scope (${era})`, async () => {
      const client = await connectClientCredentials(server.url, CLIENTS.reader, { era, issuer: idp.issuer });
      const { tools } = await client.listTools();
      expect(names(tools)).toEqual(["look", "whoami"]);
      expect((await client.callTool({ name: "look", arguments: {} })).isError).toBeFalsy();
      const refused = await client.callTool({ name: "change", arguments: {} });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('needs the OAuth scope \\"mcp:write\\"');
      expect(refused.structuredContent).toEqual({ error: "insufficient_scope", scope: "mcp:write" });
      await client.close();
    });

    it(`a read+write token sees and calls every tool, and the tool learns the subject, never the token (${era})`, async () => {
      const client = await connectClientCredentials(server.url, CLIENTS.machine, { era, issuer: idp.issuer });
      expect(names((await client.listTools()).tools)).toEqual(["change", "look", "whoami"]);
      expect((await client.callTool({ name: "change", arguments: {} })).structuredContent).toEqual({
        changed: true,
      });
      const who = await client.callTool({ name: "whoami", arguments: {} });
      expect(who.structuredContent).toEqual({
        caller: { subject: "machine", clientId: "machine", scopes: ["mcp:read", "mcp:write"] },
      });
      await client.close();
    });
  }

  it("legacy SSE carries the scopes too", async () => {
    const client = await connectClientCredentials(`${origin()}/sse`, CLIENTS.reader, {
      sse: true,
      issuer: idp.issuer,
    });
    expect(names((await client.listTools()).tools)).toEqual(["look", "whoami"]);
    expect((await client.callTool({ name: "change", arguments: {} })).isError).toBe(true);
    await client.close();
  });

  it("a write scope alone opens read-only tools as well", async () => {
    const token = await idp.sign({ sub: "writer", client_id: "w", aud: server.url, scope: "mcp:write" });
    const res = await postInitialize(server.url, token);
    expect(res.status).toBe(200);
  });

  it("a valid token with no mapped scope gets 403 insufficient_scope naming the read scope", async () => {
    const token = await idp.sign({ sub: "nobody", aud: server.url, scope: "openid profile" });
    const res = await postInitialize(server.url, token);
    expect(res.status).toBe(403);
    const challenge = res.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:read"');
    expect(challenge).toContain(`resource_metadata="${origin()}/.well-known/oauth-protected-resource/mcp"`);
  });

  it("reads scopes from scp (string or array) and Entra's roles claim", async () => {
    for (const claims of [{ scp: "mcp:read" }, { scp: ["mcp:read"] }, { roles: ["mcp:write"] }]) {
      const token = await idp.sign({ sub: "s", aud: server.url, ...claims });
      expect((await postInitialize(server.url, token)).status, JSON.stringify(claims)).toBe(200);
    }
  });

  it("writes one audit line per tool call with subject, tool and outcome, and no token", () => {
    const audit = lines.filter((l) => l.includes("tool call"));
    expect(audit.some((l) => /subject.*reader.*tool.*change.*ok.*false.*insufficient_scope/.test(l))).toBe(
      true,
    );
    expect(audit.some((l) => /subject.*machine.*tool.*change.*ok.*true/.test(l))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });
});

describe("a custom scope map (--oauth-scopes)", () => {
  it("'*' opens read-only tools to any valid token, and alternatives open write tools", async () => {
    const idp = await startProvider({ keys: [await makeKey("k")] });
    const { running } = await serve(idp, "read=*,write=files:write|mcp:write");
    try {
      const anyone = await idp.sign({ sub: "guest", aud: running.url, scope: "openid" });
      expect((await postInitialize(running.url, anyone)).status).toBe(200);
      const reader = await connectClientCredentials(running.url, CLIENTS.reader, { issuer: idp.issuer });
      expect(names((await reader.listTools()).tools)).toEqual(["look", "whoami"]);
      await reader.close();
      const meta = (await (
        await fetch(running.url.replace(/\/mcp$/, "/.well-known/oauth-protected-resource/mcp"))
      ).json()) as { scopes_supported: string[] };
      expect(meta.scopes_supported).toEqual(["files:write", "mcp:write"]);
    } finally {
      await running.close();
      await idp.close();
    }
  });
});
