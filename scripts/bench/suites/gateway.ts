// gateway: invoke overhead (gateway_invoke of everything::echo vs echo on server-everything directly,
// interleaved), catalog search over 5,000 tools (in process, and end to end through
// gateway_catalog_search), and handshake time with 1 vs 10 configured autoStart servers (initialize +
// tools/list must not grow with the servers) plus the time until all of them are started; mcp-hub (issue #5's
// peer, gateway-peer.ts) in the same run: echo through it, its 10-server handshake and RSS (n/a if it fails).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { Catalog } from "../../../lib/servers/gateway/catalog.ts";
import { recordFromTool } from "../../../lib/servers/gateway/tool-record.ts";
import { baseEnv } from "../../server-targets.ts";
import { connectStdio, type Launch, rssMiB } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { type Hub, hubLabel, startHub } from "./gateway-peer.ts";
import { call, naRow, openClients, push, scratchDir, shuffle, sleep, timed, waitUntil, why } from "./util.ts";

const EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
const VERBS = ["fetch", "store", "list", "create", "delete", "search", "update", "render", "parse", "sync"];
const QUERIES = [
  "store thing",
  "fetch",
  "tool_42",
  "does thing 7",
  "delete record",
  "render group 3",
  "parse",
  "sync thing 99",
  "update",
  "create list",
];

/** A dependency-free stdio MCP server with TOOL_COUNT tools (newline-delimited JSON-RPC). */
const MANY_TOOLS_SERVER = `
const N = Number(process.env.TOOL_COUNT || 5000);
const V = ${JSON.stringify(VERBS)};
const tools = Array.from({ length: N }, (_, i) => ({
  name: "tool_" + i + "_" + V[i % V.length],
  description: "does " + V[(i * 7) % V.length] + " thing " + i + " of group " + (i % 50),
  inputSchema: { type: "object", properties: { id: { type: "string" }, limit: { type: "number" } } },
}));
const send = (o) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...o }) + "\\n");
function handle(m) {
  if (m.id === undefined) return;
  if (m.method === "initialize")
    return send({ id: m.id, result: { protocolVersion: m.params.protocolVersion,
      capabilities: { tools: {} }, serverInfo: { name: "many-tools", version: "0" } } });
  if (m.method === "tools/list") return send({ id: m.id, result: { tools } });
  if (m.method === "tools/call") return send({ id: m.id, result: { content: [{ type: "text", text: "ok" }] } });
  if (m.method === "ping") return send({ id: m.id, result: {} });
  send({ id: m.id, error: { code: -32601, message: "method not found" } });
}
let buf = "";
process.stdin.on("data", (d) => {
  buf += d;
  for (let i; (i = buf.indexOf("\\n")) >= 0; ) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (line.trim()) handle(JSON.parse(line));
  }
});
process.stdin.on("end", () => process.exit(0));
`;

interface Health {
  servers: { name: string; state: string; tool_count: number }[];
}

async function ready(client: Client, count: number, minTools = 1): Promise<void> {
  await waitUntil(async () => {
    const h = (await call(client, "gateway_health")).data as unknown as Health;
    // tool_count also counts cached cards, so a server counts as up once it is no longer just configured.
    const up = h.servers.filter((s) => s.state !== "configured" && s.tool_count >= minTools).length;
    return up >= count ? true : undefined;
  }, 60_000);
}

function searchInProcess(ctx: BenchContext): void {
  const suite = "gateway catalog search, 5,000 tools";
  const builds = ctx.quick ? 5 : 20;
  const queries = ctx.quick ? 300 : 3000;
  const build = () => {
    const cat = new Catalog();
    for (let s = 0; s < 50; s++) {
      cat.setLive(
        `srv${s}`,
        Array.from({ length: 100 }, (_, i) =>
          recordFromTool(`srv${s}`, {
            name: `tool_${i}_${VERBS[(i + s) % VERBS.length]}`,
            description: `does ${VERBS[(i * 7) % VERBS.length]} thing ${i} of group ${s}`,
          }),
        ),
      );
    }
    return cat;
  };
  const q = (cat: Catalog, query: string) =>
    cat.search({ query, limit: 20, includeOffline: false, allowed: () => true });
  const first: number[] = [];
  for (let r = 0; r < builds + 1; r++) {
    const cat = build();
    const t = performance.now();
    const res = q(cat, QUERIES[r % QUERIES.length]!);
    if (r > 0) first.push(performance.now() - t);
    if (res.total !== 5000) throw new Error(`catalog holds ${res.total} tools, expected 5000`);
  }
  const cat = build();
  for (let i = 0; i < 200; i++) q(cat, QUERIES[i % QUERIES.length]!); // warm-up
  const warm: number[] = [];
  for (let i = 0; i < queries; i++) {
    const t = performance.now();
    q(cat, QUERIES[i % QUERIES.length]!);
    warm.push(performance.now() - t);
  }
  ctx.add({
    suite,
    subject: "Catalog (in process)",
    metric: "first query: index build + search",
    unit: "ms",
    ...summarize(first),
    note: "50 servers × 100 tools, limit 20",
  });
  ctx.add({
    suite,
    subject: "Catalog (in process)",
    metric: "query, index built",
    unit: "ms",
    ...summarize(warm),
    note: `${QUERIES.length} queries in rotation`,
  });
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const s = scratchDir("gateway");
  const clients = openClients();
  const everything = join(ctx.root, EVERYTHING);
  const home = join(s.dir, "home");
  mkdirSync(home, { recursive: true });
  const gwEnv = (cache: string) =>
    baseEnv({ HOME: home, MCPKIT_CACHE_DIR: join(s.dir, cache), XDG_CONFIG_HOME: join(home, ".config") });
  const gwLaunch = (config: unknown, name: string, extra: string[] = []): Launch => {
    const path = join(s.dir, `${name}.mcp.json`);
    writeFileSync(path, JSON.stringify(config, null, 2));
    return {
      command: env.mcpkit[0]!,
      args: [...env.mcpkit.slice(1), "gateway", "--config", path, ...extra],
      env: gwEnv(`cache-${name}`),
      cwd: s.dir,
    };
  };
  const { open, closeOne } = clients;
  const echoServer = { command: "node", args: [everything, "stdio"] };
  try {
    // 1. invoke overhead.
    {
      const suite = "gateway invoke overhead";
      const total = ctx.quick ? 400 : 3000;
      const blocks = 10;
      const gw = await open(
        gwLaunch({ autoStart: ["everything"], mcpServers: { everything: echoServer } }, "one"),
      );
      const direct = await open({ ...echoServer, env: baseEnv({ HOME: home }), cwd: s.dir });
      await ready(gw, 1);
      const viaGateway = () =>
        call(gw, "gateway_invoke", { tool_id: "everything::echo", arguments: { message: "x" } });
      const viaDirect = () => call(direct, "echo", { message: "x" });
      const subjects = [
        { label: "gateway (node bundle) · gateway_invoke everything::echo", fn: viaGateway },
        { label: "server-everything (node) · echo, direct", fn: viaDirect },
      ];
      const hubSubject = `${hubLabel(ctx.root)} · everything__echo`;
      let hub: Hub | undefined;
      let hubErr = "";
      try {
        hub = await startHub(ctx.root, s.dir, "one", { everything: echoServer });
        await hub.ready(1);
        const h = hub;
        subjects.push({ label: hubSubject, fn: () => call(h.client, "everything__echo", { message: "x" }) });
      } catch (e) {
        hubErr = `did not start: ${why(e)}`;
        await hub?.stop();
        hub = undefined;
      }
      for (const x of subjects) for (let i = 0; i < 100; i++) await x.fn(); // warm-up (JIT)
      const lat = new Map<string, number[]>();
      for (let b = 0; b < blocks; b++) {
        for (const x of shuffle(subjects)) {
          for (let i = 0; i < total / blocks; i++) push(lat, x.label, (await timed(x.fn))[0]);
        }
      }
      const direct50 = summarize(lat.get(subjects[1]!.label)!).median;
      const gw50 = summarize(lat.get(subjects[0]!.label)!).median;
      ctx.add({
        suite,
        subject: subjects[0]!.label,
        metric: "tools/call p50",
        unit: "ms",
        ...summarize(lat.get(subjects[0]!.label)!),
        peerMedian: direct50,
        note: `overhead ${(gw50 - direct50).toFixed(3)} ms over the direct call`,
      });
      ctx.add({
        suite,
        subject: subjects[1]!.label,
        metric: "tools/call p50",
        unit: "ms",
        ...summarize(lat.get(subjects[1]!.label)!),
      });
      if (hub) {
        const hub50 = summarize(lat.get(hubSubject)!).median;
        ctx.add({
          suite,
          subject: hubSubject,
          metric: "tools/call p50",
          unit: "ms",
          ...summarize(lat.get(hubSubject)!),
          note: `overhead ${(hub50 - direct50).toFixed(3)} ms over the direct stdio call; SSE is its only MCP transport`,
        });
        await hub.stop();
      } else ctx.add(naRow(suite, hubSubject, "tools/call p50", "ms", hubErr));
      await closeOne(gw);
      await closeOne(direct);
    }

    // 2. catalog search over 5,000 tools: in process, then end to end.
    searchInProcess(ctx);
    {
      const suite = "gateway catalog search, 5,000 tools";
      const fixture = join(s.dir, "many-tools.mjs");
      writeFileSync(fixture, MANY_TOOLS_SERVER);
      // The default policy keeps 100 tools per server; this one keeps all 5,000.
      const policy = join(s.dir, "many-policy.json");
      writeFileSync(policy, JSON.stringify({ limits: { max_tools_per_server: 5000 } }));
      const gw = await open(
        gwLaunch(
          {
            autoStart: ["many"],
            mcpServers: { many: { command: "node", args: [fixture], env: { TOOL_COUNT: "5000" } } },
          },
          "many",
          ["--policy", policy],
        ),
      );
      await ready(gw, 1, 5000);
      const n = ctx.quick ? 60 : 400;
      const q = (i: number) =>
        call(gw, "gateway_catalog_search", { query: QUERIES[i % QUERIES.length], limit: 20 });
      for (let i = 0; i < 20; i++) await q(i); // warm-up (the first query builds the index)
      const lat: number[] = [];
      for (let i = 0; i < n; i++) lat.push((await timed(() => q(i)))[0]);
      const r = await q(0);
      const found = Number((r.data as { total_available?: number }).total_available);
      ctx.add({
        suite,
        subject: "gateway (node bundle)",
        metric: "gateway_catalog_search over stdio",
        unit: "ms",
        ...summarize(lat),
        note: `1 downstream with ${found} tools, limit 20`,
      });
      await closeOne(gw);
    }

    // 3. handshake with 1 vs 10 autoStart servers, interleaved; then time until all are started. A third
    // config, 10 servers that never answer (`sleep`), separates waiting on servers from CPU contention
    // with ten starting Node processes on a small machine.
    {
      const suite = "gateway handshake";
      const reps = ctx.quick ? 2 : 8;
      const configs = [
        { k: 1, key: "1", label: "1 autoStart server", spec: echoServer, waitReady: true },
        { k: 10, key: "10", label: "10 autoStart servers", spec: echoServer, waitReady: true },
        {
          k: 10,
          key: "10-silent",
          label: "10 autoStart servers that never answer",
          spec: { command: "sleep", args: ["59.5"] },
          waitReady: false,
        },
      ].map((c) => {
        const names = Array.from({ length: c.k }, (_, i) => `srv${i}`);
        const launch = gwLaunch(
          { autoStart: names, mcpServers: Object.fromEntries(names.map((n) => [n, c.spec])) },
          `servers-${c.key}`,
        );
        return { ...c, launch };
      });
      const hs = new Map<string, number[]>();
      const up = new Map<string, number[]>();
      for (let r = 0; r < reps + 1; r++) {
        for (const c of shuffle(configs)) {
          const t0 = performance.now();
          const gw = await open(c.launch);
          await gw.listTools();
          const t1 = performance.now();
          if (c.waitReady) await ready(gw, c.k);
          const t2 = performance.now();
          await closeOne(gw);
          if (r === 0) continue; // warm-up: file cache, description cache
          push(hs, c.key, t1 - t0);
          if (c.waitReady) push(up, c.key, t2 - t0);
        }
      }
      // mcp-hub with the same 10 servers: spawn → SSE initialize answered → tools/list, then all connected,
      // then its RSS; our gateway's RSS with the same 10 started servers, interleaved.
      const hubName = hubLabel(ctx.root).replace(" (SSE /mcp)", "");
      const tenSpec = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`srv${i}`, echoServer]));
      const hubHs: number[] = [];
      const hubUp: number[] = [];
      const hubRss: number[] = [];
      const gwRss: number[] = [];
      let hubErr = "";
      const tenLaunch = configs.find((c) => c.key === "10")!.launch;
      for (let r = 0; r < reps + 1; r++) {
        if (!hubErr) {
          const t0 = performance.now();
          let hub: Hub | undefined;
          try {
            hub = await startHub(ctx.root, s.dir, `ten-${r}`, tenSpec);
            await hub.client.listTools();
            const t1 = performance.now();
            await hub.ready(10);
            const t2 = performance.now();
            await sleep(300);
            if (r > 0) {
              hubHs.push(t1 - t0);
              hubUp.push(t2 - t0);
              hubRss.push(rssMiB(hub.pid));
            }
          } catch (e) {
            hubErr = why(e);
          } finally {
            await hub?.stop();
          }
        }
        const { client, pid } = await connectStdio(tenLaunch);
        try {
          await ready(client, 10);
          await sleep(300);
          if (r > 0) gwRss.push(rssMiB(pid));
        } finally {
          await client.close();
        }
      }
      ctx.add({
        suite,
        subject: "gateway (node bundle), 10 autoStart servers",
        metric: "gateway RSS with 10 downstreams started",
        unit: "MiB",
        ...summarize(gwRss),
        peerMedian: hubRss.length ? summarize(hubRss).median : undefined,
        note: "the gateway process alone; the 10 server-everything copies not counted",
      });
      const hubSub = `${hubName} (SSE /mcp), 10 configured servers`;
      if (hubHs.length) {
        ctx.add({
          suite,
          subject: hubSub,
          metric: "spawn → initialize → tools/list",
          unit: "ms",
          ...summarize(hubHs),
          note: "SSE connect retried until the port answers",
        });
        ctx.add({
          suite,
          subject: hubSub,
          metric: "spawn → all servers started (GET /api/health)",
          unit: "ms",
          ...summarize(hubUp),
          note: "server-everything copies",
        });
        ctx.add({
          suite,
          subject: hubSub,
          metric: "hub RSS with 10 downstreams started",
          unit: "MiB",
          ...summarize(hubRss),
          note: "the hub process alone",
        });
      } else {
        const reason = `did not run: ${hubErr || "no sample"}`;
        ctx.add(naRow(suite, hubSub, "spawn → initialize → tools/list", "ms", reason));
        ctx.add(naRow(suite, hubSub, "spawn → all servers started", "ms", reason));
        ctx.add(naRow(suite, hubSub, "hub RSS with 10 downstreams started", "MiB", reason));
      }
      const hs1 = summarize(hs.get("1")!).median;
      for (const c of configs) {
        const sum = summarize(hs.get(c.key)!);
        ctx.add({
          suite,
          subject: `gateway (node bundle), ${c.label}`,
          metric: "spawn → initialize → tools/list",
          unit: "ms",
          ...sum,
          peerMedian: c.key === "10" && hubHs.length ? summarize(hubHs).median : undefined,
          note: c.k > 1 ? `${(sum.median / hs1).toFixed(2)}× the 1-server handshake` : undefined,
        });
        if (c.waitReady)
          ctx.add({
            suite,
            subject: `gateway (node bundle), ${c.label}`,
            metric: "spawn → all servers started (gateway_health)",
            unit: "ms",
            ...summarize(up.get(c.key)!),
            peerMedian: c.key === "10" && hubUp.length ? summarize(hubUp).median : undefined,
            note: "server-everything copies",
          });
      }
    }
  } finally {
    await clients.closeAll();
    s.cleanup();
  }
}

export const gatewaySuite: ServerSuite = { name: "gateway", server: "gateway", run };
