// gateway per request (issue #18): a 2026-07-28 client over HTTP is served statelessly, so the gateway
// builds a server instance for every request. Measures that build in process with a 1,000-tool catalog
// (10 configured servers × 100 tools, from the description cache; target < 1 ms), and what a request
// costs over HTTP when it builds its instance (2026-07-28) against a 2025-era session that reuses one.
// `--only gateway-per-request`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import type { ServerApp } from "../../../lib/core/app.ts";
import { createLogger } from "../../../lib/core/log.ts";
import { start } from "../../../lib/servers/gateway/index.ts";
import { specHash } from "../../../lib/servers/gateway/spec-hash.ts";
import { parseMcpJson } from "../../../lib/upstream/index.ts";
import { baseEnv } from "../../server-targets.ts";
import { startHttpServer } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { call, scratchDir } from "./util.ts";

const SERVERS = 10;
const TOOLS_PER_SERVER = 100;
const VERSION = "0.0.0-bench";

/** A config of SERVERS never-started servers and a description cache that already knows their tools. */
function catalogFixture(dir: string, version: string): { config: string; cache: string } {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "big.mcp.json");
  const servers = Object.fromEntries(
    Array.from({ length: SERVERS }, (_, i) => [
      `srv${i}`,
      { command: "node", args: [join(dir, "never-started.mjs"), String(i)] },
    ]),
  );
  writeFileSync(config, JSON.stringify({ mcpServers: servers }));
  const specs = parseMcpJson(JSON.stringify({ mcpServers: servers }), config);
  const now = new Date().toISOString();
  const cached = Object.fromEntries(
    specs.map((spec) => [
      spec.name,
      {
        generated_at: now,
        spec_hash: specHash(spec, version),
        tools: Array.from({ length: TOOLS_PER_SERVER }, (_, t) => ({
          name: `tool_${t}`,
          description: `Does task ${t} of ${spec.name}: reads, filters and reports records`,
          params: ["query", "limit"],
          tags: ["bench"],
          risk: "low",
        })),
      },
    ]),
  );
  const cache = join(dir, "cache");
  mkdirSync(join(cache, "gateway"), { recursive: true });
  writeFileSync(join(cache, "gateway", "descriptions.json"), JSON.stringify({ version: 1, servers: cached }));
  return { config, cache };
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const suite = "gateway per request";
  const s = scratchDir("gateway-per-request");
  const home = join(s.dir, "home");
  mkdirSync(home, { recursive: true });
  const envFor = (cache: string) =>
    baseEnv({ HOME: home, MCPKIT_CACHE_DIR: cache, XDG_CONFIG_HOME: join(home, ".config") });
  let app: ServerApp | undefined;
  try {
    // In process: createServer() alone, as createMcpHandler calls it for every 2026-07-28 request.
    const inProcess = catalogFixture(join(s.dir, "in-process"), VERSION);
    app = await start({
      options: { config: inProcess.config },
      env: envFor(inProcess.cache),
      log: createLogger({ level: "silent" }),
      version: VERSION,
      transport: "http",
    });
    await assertCatalogSize(app, SERVERS * TOOLS_PER_SERVER);
    const n = ctx.quick ? 2_000 : 20_000;
    for (let i = 0; i < 500; i++) app.createServer(); // warm-up (JIT)
    const builds: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      app.createServer();
      builds.push(performance.now() - t);
    }
    const b = summarize(builds);
    ctx.add({
      suite,
      subject: `gateway (in process), ${SERVERS * TOOLS_PER_SERVER}-tool catalog (${SERVERS} servers)`,
      metric: "createServer() per request instance",
      unit: "ms",
      ...b,
      note: `target < 1 ms: ${b.median < 1 ? "met" : "MISSED"}`,
    });
  } finally {
    await app?.close();
  }

  // Over HTTP, the real CLI: the same request as a 2025-era session and as 2026-07-28 (instance per request).
  const http = catalogFixture(join(s.dir, "http"), await cliVersion(env.mcpkit));
  const server = await startHttpServer({
    command: env.mcpkit[0]!,
    args: [
      ...env.mcpkit.slice(1),
      "gateway",
      "--config",
      http.config,
      "--transport",
      "http",
      "--port",
      "0",
      "--log-level",
      "warn",
    ],
    env: envFor(http.cache),
    cwd: s.dir,
  });
  const clients: Client[] = [];
  try {
    const connect = async (era: "2025" | "2026") => {
      const client = new Client(
        { name: "mcpkit-bench", version: "0" },
        era === "2026" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      clients.push(client);
      return client;
    };
    const legacy = await connect("2025");
    const modern = await connect("2026");
    const reps = ctx.quick ? 200 : 1_000;
    const cases = [
      {
        metric: "tools/list round trip",
        // The 2026 client would answer tools/list from its cache (ttlMs): bypass it to measure the server.
        once: (c: Client) => c.listTools(undefined, { cacheMode: "bypass" }),
      },
      {
        metric: "tools/call gateway_list_pending round trip",
        once: (c: Client) => call(c, "gateway_list_pending"),
      },
    ];
    for (const c of cases) {
      const samples = { "2025": [] as number[], "2026": [] as number[] };
      for (let i = 0; i < 50; i++) {
        await c.once(legacy);
        await c.once(modern);
      }
      for (let i = 0; i < reps; i++) {
        for (const [era, client] of (i % 2
          ? [
              ["2025", legacy],
              ["2026", modern],
            ]
          : [
              ["2026", modern],
              ["2025", legacy],
            ]) as ["2025" | "2026", Client][]) {
          const t = performance.now();
          await c.once(client);
          samples[era].push(performance.now() - t);
        }
      }
      const old = summarize(samples["2025"]);
      const neu = summarize(samples["2026"]);
      ctx.add({
        suite,
        subject: "gateway (node bundle), 2025-era session",
        metric: c.metric,
        unit: "ms",
        ...old,
      });
      ctx.add({
        suite,
        subject: "gateway (node bundle), 2026-07-28, instance per request",
        metric: c.metric,
        unit: "ms",
        ...neu,
        note: `+${(neu.median - old.median).toFixed(2)} ms per request over the 2025-era session`,
      });
    }
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await server.stop();
    s.cleanup();
  }
}

/** Fails the suite when the gateway does not see the whole catalog (it would measure an empty one). */
async function assertCatalogSize(app: ServerApp, expected: number): Promise<void> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await app.createServer().connect(serverSide);
  const client = new Client({ name: "mcpkit-bench", version: "0" });
  await client.connect(clientSide);
  try {
    const found = await call(client, "gateway_catalog_search", {
      query: "reads filters reports records",
      limit: 1,
    });
    const total = Number(found.data.total_available);
    if (total !== expected) throw new Error(`the catalog holds ${total} tools, not ${expected}`);
  } finally {
    await client.close();
  }
}

/** The version the CLI reports: the description cache only trusts cards listed by the same version. */
async function cliVersion(mcpkit: string[]): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  return execFileSync(mcpkit[0]!, [...mcpkit.slice(1), "--version"], { encoding: "utf8" }).trim();
}

export const gatewayPerRequestSuite: ServerSuite = { name: "gateway-per-request", server: "gateway", run };
