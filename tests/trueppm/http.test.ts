import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { resolve } from "node:path";
import type { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import type { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { connectHttp, type HttpProcess, ROOT, startHttp } from "../helpers/mcpkit.ts";
import { makeToken, ONE_CALL_EACH, runToExit, startFake, textOf, trueppmEnv } from "./helpers.ts";

const TOKEN = makeToken("http");
const BEARER = "mcp-bearer-canary-7f3a9c2e";
let fake: FakeTrueppm;
const running: HttpProcess[] = [];

beforeAll(async () => {
  fake = await startFake({ [TOKEN]: undefined });
}, 20_000);
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop("SIGTERM")));
  await fake?.close();
});

async function serve(args: string[], env: Record<string, string> = {}): Promise<HttpProcess> {
  const p = await startHttp(["trueppm", ...args], { env: trueppmEnv(fake, TOKEN, env) });
  running.push(p);
  return p;
}

async function useTools(client: Client): Promise<void> {
  const projects = (await client.callTool({ name: "list_projects", arguments: {} })) as any;
  expect(projects.isError, textOf(projects)).toBeFalsy();
  expect(projects.structuredContent.items.length).toBeGreaterThan(0);
  const task = (await client.callTool({ name: "get_task", arguments: { task_id: D.T_CRITICAL } })) as any;
  expect(task.structuredContent.why.explanation).toMatch(/critical path/);
  const mc = (await client.callTool({
    name: "get_monte_carlo_forecast",
    arguments: { project_id: D.P_ALPHA },
  })) as any;
  expect(mc.isError, textOf(mc)).toBeFalsy();
}

/** A raw POST /mcp with a chosen Host header (fetch will not let us forge one). */
function postWithHost(origin: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  const u = new URL(origin);
  return new Promise((res, rej) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: "/mcp",
        method: "POST",
        headers: {
          host,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      },
    );
    req.on("error", rej);
    req.end(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "0" } },
      }),
    );
  });
}

describe("Streamable HTTP: one HTTP client for the process, many sessions", () => {
  let server: HttpProcess;
  let whoamiCalls = 0;
  beforeAll(async () => {
    server = await serve(["--transport", "http", "--port", "0"]);
  }, 20_000);

  it("a session that ends does not break the next one (the original's defect)", async () => {
    const first = await connectHttp(server.url);
    await useTools(first);
    await (first.transport as StreamableHTTPClientTransport).terminateSession();
    await first.close();
    const second = await connectHttp(server.url);
    await useTools(second);
    await second.close();
    const third = await connectHttp(server.url);
    await useTools(third);
    await third.close();
  }, 20_000);

  it("several concurrent sessions all call tools", async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => connectHttp(server.url)));
    await Promise.all(clients.map((c) => useTools(c)));
    // Close half while the others keep working.
    await Promise.all(clients.slice(0, 3).map((c) => c.close()));
    await Promise.all(clients.slice(3).map((c) => useTools(c)));
    await Promise.all(clients.slice(3).map((c) => c.close()));
  }, 20_000);

  it("every tool answers over HTTP in concurrent sessions, and no result carries the token", async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => connectHttp(server.url)));
    const texts = await Promise.all(
      clients.map(async (c) => {
        const out: string[] = [];
        for (const [name, args] of ONE_CALL_EACH) {
          if (name === "whoami") whoamiCalls++;
          const r = (await c.callTool({ name, arguments: args })) as any;
          expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
          expect(r.structuredContent, name).toBeTypeOf("object");
          out.push(JSON.stringify(r));
        }
        return out;
      }),
    );
    await Promise.all(clients.map((c) => c.close()));
    expect(new Set(texts.map((t) => t.length)).size).toBe(1);
    expect(texts.flat().join("\n")).not.toContain(TOKEN);
  }, 20_000);

  it("legacy SSE sessions share the same client", async () => {
    for (let i = 0; i < 2; i++) {
      const c = await connectHttp(`${server.origin}/sse`, { sse: true });
      await useTools(c);
      await c.close();
    }
  }, 20_000);

  it("checked the token once at boot, not per session", () => {
    // One boot check; every other auth/me/ request is a whoami tool call.
    expect(fake.requestsTo("auth/me/")).toHaveLength(1 + whoamiCalls);
    expect(server.stderr()).not.toContain(TOKEN);
  });

  it("DNS-rebinding protection: a foreign Host or Origin is refused on a loopback bind", async () => {
    expect(await postWithHost(server.origin, "evil.example")).toBe(403);
    expect(
      await postWithHost(server.origin, new URL(server.origin).host, { origin: "http://evil.example" }),
    ).toBe(403);
    expect(await postWithHost(server.origin, new URL(server.origin).host)).toBe(200);
  }, 20_000);
}, 20_000);

describe("--transport sse", () => {
  it("announces /sse and serves consecutive SSE sessions", async () => {
    const server = await serve(["--transport", "sse", "--port", "0"]);
    expect(server.url).toMatch(/\/sse$/);
    for (let i = 0; i < 2; i++) {
      const c = await connectHttp(server.url, { sse: true });
      await useTools(c);
      await c.close();
    }
  }, 20_000);
});

describe("bearer token on the network transports", () => {
  it("TRUEPPM_MCP_AUTH_TOKEN requires Authorization: Bearer", async () => {
    const server = await serve(["--transport", "http", "--port", "0"], { TRUEPPM_MCP_AUTH_TOKEN: BEARER });
    await expect(connectHttp(server.url)).rejects.toThrow();
    await expect(connectHttp(server.url, { token: "wrong" })).rejects.toThrow();
    const c = await connectHttp(server.url, { token: BEARER });
    await useTools(c);
    await c.close();
    expect(server.stderr()).not.toContain(BEARER);
  }, 20_000);
});

describe("the Dockerfile's entrypoint: node mcpkit.mjs trueppm --transport http --host 0.0.0.0", () => {
  const dockerfile = readFileSync(resolve(ROOT, "Dockerfile"), "utf8");
  const jsonArray = (instruction: string): string[] =>
    JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, "m").exec(dockerfile)![1]!);
  // The image runs `ENTRYPOINT + the arguments after the image name` (it has no CMD: stdio by default);
  // here the bundle stands in for /app/mcpkit.mjs, on a free port.
  const cmd = ["--transport", "http", "--host", "0.0.0.0", "--port", "8000"];
  const entry = (extra: string[]) => [
    resolve(ROOT, "dist/mcpkit.mjs"),
    "trueppm",
    ...cmd,
    "--port",
    "0",
    ...extra,
  ];

  it("is multi-stage, runs as UID 1000, and starts the trueppm bundle on 0.0.0.0 over http", () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER 1000(:1000)?$/m);
    expect(jsonArray("ENTRYPOINT")).toEqual(["node", "/app/mcpkit.mjs", "trueppm"]);
    expect(dockerfile).not.toMatch(/^CMD /m);
    const copied = [...dockerfile.matchAll(/^COPY --from=build (\S+)/gm)].map((m) => m[1]);
    expect(copied.sort()).toEqual([
      "/src/dist/chunks",
      "/src/dist/mcpkit.mjs",
      "/src/node_modules",
      "/src/package.json",
    ]);
  });

  it("refuses to listen without a token (exit 2, one line)", async () => {
    const r = await runToExit(
      ["trueppm", "--transport", "http", "--host", "0.0.0.0", "--port", "0"],
      trueppmEnv(fake, TOKEN),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
  }, 20_000);

  it("serves with --auth-token, and only to callers that send it", async () => {
    const child = spawn("node", entry(["--auth-token", BEARER]), {
      env: trueppmEnv(fake, TOKEN),
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    try {
      const url = await new Promise<string>((res, rej) => {
        child.stderr.on("data", (d: Buffer) => {
          err += d.toString();
          const m = /listening on (\S+)/.exec(err);
          if (m) res(m[1]!);
        });
        void exited.then((c) => rej(new Error(`exited ${c}: ${err}`)));
      });
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/mcp$/);
      const local = url.replace("0.0.0.0", "127.0.0.1");
      await expect(connectHttp(local)).rejects.toThrow();
      const c = await connectHttp(local, { token: BEARER });
      await useTools(c);
      await c.close();
      const health = await fetch(new URL("/healthz", local));
      expect(health.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
    expect(err).not.toContain(BEARER);
    expect(err).not.toContain(TOKEN);
  }, 20_000);
});
