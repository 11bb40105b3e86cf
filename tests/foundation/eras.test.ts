import { spawn } from "node:child_process";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, connectHttp, type HttpProcess, isAlive, waitFor } from "../helpers/mcpkit.ts";
import { ECHO, startEcho } from "./echo.ts";

// Both protocol eras against one running server: a v2 client pinned to 2026-07-28 (stateless requests
// with the _meta envelope) and a default client (2025-era initialize + session), over HTTP and stdio.

const MODERN = "2026-07-28";
const pinned = () =>
  new Client({ name: "pinned", version: "0" }, { versionNegotiation: { mode: { pin: MODERN } } });
const envelope = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientCapabilities": {},
};
const text = (r: { content?: unknown }) => (r.content as { text: string }[])[0]!.text;

/** A raw 2026-07-28 request, headers as the spec has them. */
function modernPost(url: string, method: string, params: Record<string, unknown> = {}, headers = {}) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": MODERN,
      "mcp-method": method,
      ...(typeof params.name === "string" ? { "mcp-name": params.name } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { ...params, _meta: envelope } }),
  });
}

const running: HttpProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop("SIGTERM")));
});

describe("Streamable HTTP at /mcp serves both eras from one server", () => {
  it("a pinned 2026-07-28 client and a 2025-era client call the same server side by side", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const modern = pinned();
    await modern.connect(new StreamableHTTPClientTransport(new URL(p.url)));
    const legacyTransport = new StreamableHTTPClientTransport(new URL(p.url));
    const legacy = new Client({ name: "legacy", version: "0" });
    await legacy.connect(legacyTransport);
    expect(modern.getProtocolEra()).toBe("modern");
    expect(legacy.getProtocolEra()).toBe("legacy");
    expect(modern.getServerVersion()?.name).toBe("echo");
    const [a, b] = await Promise.all([
      modern.callTool({ name: "echo", arguments: { text: "2026" } }),
      legacy.callTool({ name: "echo", arguments: { text: "2025" } }),
    ]);
    expect(text(a)).toBe("2026");
    expect(text(b)).toBe("2025");
    expect((await modern.listTools()).tools.map((t) => t.name)).toEqual(["echo", "child_pid"]);
    // Only the 2025 client holds a session; the 2026-07-28 requests left none behind.
    expect(legacyTransport.sessionId).toBeTruthy();
    await modern.close();
    await legacy.close();
  });

  it("answers server/discover statelessly, with the revision and the server's identity", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const res = await modernPost(p.url, "server/discover");
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const body = (await res.json()) as { id: number; result: Record<string, unknown> };
    expect(body.id).toBe(7);
    expect(JSON.stringify(body.result)).toContain(MODERN);
    expect(JSON.stringify(body.result)).toContain('"echo"');
  });

  it("refuses a 2026-07-28 request whose Mcp-Method header contradicts its body (400, -32020)", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const res = await modernPost(p.url, "tools/list", {}, { "mcp-method": "tools/call" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32020);
  });

  it("keeps the 2025 session's GET stream and DELETE, and answers 405 to them without a session", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const json = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const init = await fetch(p.url, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "raw", version: "0" },
        },
      }),
    });
    expect(init.status).toBe(200);
    await init.body?.cancel();
    const sessionId = init.headers.get("mcp-session-id")!;
    expect(sessionId).toBeTruthy();
    const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" };
    const initialized = await fetch(p.url, {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    expect(initialized.status).toBe(202);
    const stream = new AbortController();
    const get = await fetch(p.url, {
      headers: { ...headers, accept: "text/event-stream" },
      signal: stream.signal,
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // One standalone stream per session.
    expect((await fetch(p.url, { headers: { ...headers, accept: "text/event-stream" } })).status).toBe(409);
    stream.abort();
    expect((await fetch(p.url, { method: "DELETE", headers })).status).toBe(200);
    const after = await fetch(p.url, {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
    expect((await fetch(p.url, { headers: { accept: "text/event-stream" } })).status).toBe(405);
    expect((await fetch(p.url, { method: "DELETE" })).status).toBe(405);
  });

  it("applies the bearer token, the Host check and the body cap to 2026-07-28 requests too", async () => {
    const token = "tok-modern-0123456789";
    const p = await startEcho([
      "--transport",
      "http",
      "--port",
      "0",
      "--auth-token",
      token,
      "--max-body-bytes",
      "4096",
    ]);
    running.push(p);
    const auth = { authorization: `Bearer ${token}` };
    expect((await modernPost(p.url, "tools/list")).status).toBe(401);
    expect((await modernPost(p.url, "tools/list", {}, { authorization: "Bearer wrong" })).status).toBe(401);
    expect(
      (await modernPost(p.url, "tools/list", {}, { ...auth, origin: "http://evil.example.com" })).status,
    ).toBe(403);
    const big = await modernPost(
      p.url,
      "tools/call",
      { name: "echo", arguments: { text: "x".repeat(10_000) } },
      auth,
    );
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("Payload Too Large");
    const ok = await modernPost(p.url, "tools/call", { name: "echo", arguments: { text: "in" } }, auth);
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain('"text":"in"');
    const client = pinned();
    await client.connect(
      new StreamableHTTPClientTransport(new URL(p.url), { requestInit: { headers: auth } }),
    );
    expect(text(await client.callTool({ name: "echo", arguments: { text: "authorised" } }))).toBe(
      "authorised",
    );
    await client.close();
    expect(p.stderr()).not.toContain(token);
    expect((await fetch(`${p.origin}/healthz`)).status).toBe(200);
  });

  it("legacy SSE keeps working next to both eras", async () => {
    const p = await startEcho(["--transport", "sse", "--port", "0"]);
    running.push(p);
    const sse = await connectHttp(p.url, { sse: true });
    const modern = pinned();
    await modern.connect(new StreamableHTTPClientTransport(new URL(p.url.replace(/\/sse$/, "/mcp"))));
    expect(text(await sse.callTool({ name: "echo", arguments: { text: "sse" } }))).toBe("sse");
    expect(text(await modern.callTool({ name: "echo", arguments: { text: "modern" } }))).toBe("modern");
    await sse.close();
    await modern.close();
  });
});

describe("stdio serves the era the client opens with", () => {
  const stdio = () =>
    new StdioClientTransport({ command: "node", args: [ECHO, "echo"], env: baseEnv(), stderr: "pipe" });

  it("a pinned 2026-07-28 client over stdio, and the process ends with stdin", async () => {
    const transport = stdio();
    const client = pinned();
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe("modern");
    expect(text(await client.callTool({ name: "echo", arguments: { text: "over stdio" } }))).toBe(
      "over stdio",
    );
    const pid = transport.pid!;
    const child = Number(text(await client.callTool({ name: "child_pid", arguments: {} })));
    await client.close();
    await waitFor(() => !isAlive(pid));
    await waitFor(() => !isAlive(child));
  });

  it("a 2025-era client over stdio", async () => {
    const client = new Client({ name: "legacy", version: "0" });
    await client.connect(stdio());
    expect(client.getProtocolEra()).toBe("legacy");
    expect(text(await client.callTool({ name: "echo", arguments: { text: "2025" } }))).toBe("2025");
    await client.close();
  });

  it("answers a raw server/discover line, then serves 2026-07-28 requests on the same connection", async () => {
    const child = spawn("node", [ECHO, "echo"], { env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    const send = (id: number, method: string, params = {}) =>
      child.stdin.write(
        `${JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: envelope } })}\n`,
      );
    const answer = (id: number) =>
      waitFor(() =>
        out
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { id?: number; result?: unknown; error?: unknown })
          .find((m) => m.id === id),
      );
    send(1, "server/discover");
    expect(JSON.stringify((await answer(1))!.result)).toContain(MODERN);
    send(2, "tools/call", { name: "echo", arguments: { text: "raw" } });
    expect(JSON.stringify((await answer(2))!.result)).toContain('"text":"raw"');
    const exited = new Promise((r) => child.once("exit", r));
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
