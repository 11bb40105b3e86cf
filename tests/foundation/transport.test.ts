import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, connectHttp, type HttpProcess, isAlive, waitFor } from "../helpers/mcpkit.ts";
import { ECHO, startEcho } from "./echo.ts";

async function childPid(client: Client): Promise<number> {
  const r = await client.callTool({ name: "child_pid", arguments: {} });
  return Number((r.content as { text: string }[])[0]!.text);
}

const running: HttpProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop("SIGTERM")));
});

describe("stdio transport", () => {
  it("serves a client, and exits cleanly with its child reaped when stdin closes", async () => {
    const transport = new StdioClientTransport({
      command: "node",
      args: [ECHO, "echo"],
      env: baseEnv(),
      stderr: "pipe",
    });
    const client = new Client({ name: "t", version: "0" });
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("echo");
    const r = await client.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(r.content).toEqual([{ type: "text", text: "hi" }]);
    const pid = await childPid(client);
    expect(isAlive(pid)).toBe(true);
    const serverPid = transport.pid!;
    await client.close();
    await waitFor(() => !isAlive(serverPid));
    await waitFor(() => !isAlive(pid));
  });

  it("SIGINT exits 130 and SIGTERM exits 0", async () => {
    for (const [sig, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 0],
    ] as const) {
      const child = spawn("node", [ECHO, "echo"], { env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise((res) => child.once("exit", (c) => res(c)));
      // Wait until the process is up and serving: an initialize answer proves it.
      child.stdin.write(
        `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "0" } } })}\n`,
      );
      await new Promise<void>((res) => child.stdout.once("data", () => res()));
      child.kill(sig);
      expect(await exited).toBe(code);
    }
  });
});

describe("stdio under backpressure", () => {
  it("a client that reads late still gets every answer, and stderr stays quiet (no listener warning)", async () => {
    const child = spawn("node", [ECHO, "echo"], { env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d;
    });
    child.stdout.pause();
    const n = 3000;
    const lines = [
      JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "0" } },
      }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    ];
    const pad = "x".repeat(200);
    for (let i = 1; i <= n; i++) {
      lines.push(
        JSON.stringify({
          jsonrpc: "2.0",
          id: i,
          method: "tools/call",
          params: { name: "echo", arguments: { text: pad } },
        }),
      );
    }
    child.stdin.write(`${lines.join("\n")}\n`);
    // Let the server answer into a full pipe for a while before anyone reads.
    await new Promise((r) => setTimeout(r, 1500));
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stdout.resume();
    await waitFor(() => out.split("\n").filter(Boolean).length >= n + 1, 30_000);
    const exited = new Promise((r) => child.once("exit", r));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(err).not.toContain("MaxListenersExceededWarning");
  });
});

describe("Streamable HTTP transport", () => {
  it("serves sessions at /mcp and answers /healthz", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const health = await fetch(`${p.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const a = await connectHttp(p.url);
    const b = await connectHttp(p.url);
    const [ra, rb] = await Promise.all([
      a.callTool({ name: "echo", arguments: { text: "a" } }),
      b.callTool({ name: "echo", arguments: { text: "b" } }),
    ]);
    expect(ra.content).toEqual([{ type: "text", text: "a" }]);
    expect(rb.content).toEqual([{ type: "text", text: "b" }]);
    await a.close();
    await b.close();
  });

  it("rejects a request without a session id that is not initialize, and an unknown session id", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect((await fetch(p.url, { method: "POST", headers, body })).status).toBe(400);
    const unknown = await fetch(p.url, {
      method: "POST",
      headers: { ...headers, "mcp-session-id": "nope" },
      body,
    });
    expect(unknown.status).toBe(404);
    const badJson = await fetch(p.url, { method: "POST", headers, body: "{not json" });
    expect(badJson.status).toBe(400);
  });

  it("requires the bearer token when one is configured (401 without, works with)", async () => {
    const token = "tok-test-0123456789";
    const p = await startEcho(["--transport", "http", "--port", "0", "--auth-token", token]);
    running.push(p);
    const res = await fetch(p.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await fetch(p.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer wrong-token" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${p.origin}/healthz`)).status).toBe(200);
    await expect(connectHttp(p.url)).rejects.toThrow();
    const client = await connectHttp(p.url, { token });
    const r = await client.callTool({ name: "echo", arguments: { text: "ok" } });
    expect(r.content).toEqual([{ type: "text", text: "ok" }]);
    await client.close();
    expect(p.stderr()).not.toContain(token);
  });

  it("speaks RFC 6750 on 401 and answers OAuth discovery with a plain 404, without auth", async () => {
    const token = "tok-rfc6750-0123456789";
    const p = await startEcho(["--transport", "http", "--port", "0", "--auth-token", token]);
    running.push(p);
    const post = (headers: Record<string, string>) =>
      fetch(p.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
    const none = await post({});
    expect(none.status).toBe(401);
    // No credentials sent: a challenge without an error code (RFC 6750 §3.1).
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="mcpkit"');
    expect(none.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await none.text()).toMatch(/^Unauthorized: this MCP server needs a bearer token/);
    const wrong = await post({ authorization: "Bearer not-the-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer realm="mcpkit", error="invalid_token"/);
    expect(await wrong.text()).toContain("the bearer token does not match");
    const sse = await fetch(`${p.origin}/sse`);
    expect(sse.status).toBe(401);
    expect(sse.headers.get("www-authenticate")).toBe('Bearer realm="mcpkit"');
    await sse.body?.cancel();

    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/.well-known/oauth-authorization-server/mcp",
      "/.well-known/openid-configuration",
      "/mcp/.well-known/openid-configuration",
      "/register",
      "/authorize",
      "/token",
    ]) {
      const method = path === "/register" || path === "/token" ? "POST" : "GET";
      const r = await fetch(`${p.origin}${path}`, { method, body: method === "POST" ? "{}" : undefined });
      expect(r.status, path).toBe(404);
      expect(r.headers.get("www-authenticate"), path).toBeNull();
      expect(r.headers.get("content-type"), path).toMatch(/^text\/plain/);
      expect(await r.text(), path).toContain("does not use OAuth");
    }
    const other = await fetch(`${p.origin}/nothing-here`);
    expect(other.status).toBe(404);
    expect(await other.text()).toContain("/mcp");
    expect(p.stderr()).not.toContain(token);
  });

  it("reads the token from the environment (server-specific name)", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"], {
      ECHO_AUTH_TOKEN: "env-token-abcdef",
    });
    running.push(p);
    expect((await fetch(p.url, { method: "POST", body: "{}" })).status).toBe(401);
    const client = await connectHttp(p.url, { token: "env-token-abcdef" });
    await client.close();
  });

  it("rejects a foreign Host or Origin on a loopback bind (DNS rebinding)", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const port = new URL(p.url).port;
    const { request } = await import("node:http");
    const status = (headers: Record<string, string>) =>
      new Promise<number>((res, rej) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path: "/mcp",
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
          },
          (r) => {
            r.resume();
            res(r.statusCode!);
          },
        );
        req.on("error", rej);
        req.end("{}");
      });
    expect(await status({ host: "evil.example.com" })).toBe(403);
    expect(await status({ host: `localhost:${port}`, origin: "http://evil.example.com" })).toBe(403);
    expect(await status({ host: `localhost:${port}` })).toBe(400);
  });

  it("answers 413 to an oversized body and keeps serving", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0", "--max-body-bytes", "2048"]);
    running.push(p);
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { pad: "x".repeat(10_000) },
    });
    const res = await fetch(p.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Payload Too Large");
    const client = await connectHttp(p.url);
    await client.close();
  });

  it("fetch posting 5 MiB gets the 413 and its JSON-RPC error (not EPIPE), streamed or with a length", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    running.push(p);
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const big = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"${"x".repeat(5 * 1024 * 1024)}"}}`;
    // Several times: closing early made fetch fail with EPIPE only some of the time.
    for (let i = 0; i < 6; i++) {
      const sized = await fetch(p.url, { method: "POST", headers, body: big });
      expect(sized.status).toBe(413);
      const error = (await sized.json()) as { jsonrpc: string; error: { code: number; message: string } };
      expect(error.jsonrpc).toBe("2.0");
      expect(error.error.message).toMatch(/^Payload Too Large: request body exceeds 4194304 bytes/);
    }
    // Without a Content-Length the server only finds out while reading.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024)
          controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await fetch(p.url, {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { message: string } }).error.message).toContain(
      "Payload Too Large",
    );
    const client = await connectHttp(p.url);
    await client.close();
  });

  it("refuses a non-loopback bind without a token", async () => {
    const child = spawn("node", [ECHO, "echo", "--transport", "http", "--host", "0.0.0.0", "--port", "0"], {
      env: baseEnv(),
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = await new Promise((res) => child.once("exit", (c) => res(c)));
    expect(code).toBe(2);
    expect(err).toContain("--allow-unauthenticated");
  });

  it("SIGTERM closes sessions, reaps the app's child and exits 0", async () => {
    const p = await startEcho(["--transport", "http", "--port", "0"]);
    const client = await connectHttp(p.url);
    const pid = await childPid(client);
    expect(isAlive(pid)).toBe(true);
    expect(await p.stop("SIGTERM")).toBe(0);
    await waitFor(() => !isAlive(pid));
  });
});

describe("legacy SSE transport", () => {
  it("serves GET /sse + POST /messages, with auth", async () => {
    const token = "sse-token-123456";
    const p = await startEcho(["--transport", "sse", "--port", "0", "--auth-token", token]);
    running.push(p);
    expect(p.url).toMatch(/\/sse$/);
    expect((await fetch(p.url)).status).toBe(401);
    const client = await connectHttp(p.url, { sse: true, token });
    const r = await client.callTool({ name: "echo", arguments: { text: "via sse" } });
    expect(r.content).toEqual([{ type: "text", text: "via sse" }]);
    await client.close();
  });
});
