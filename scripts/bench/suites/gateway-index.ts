// gateway indexing (issue #15): how long a one-shot client waits for its first catalog_search to find a
// configured server that nothing has started (cold description cache: indexed in the background after
// the handshake; warm cache: answered from the cache, nothing spawned), and whether the handshake grows
// with the number of configured servers while they are being indexed. `--only gateway-index`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseEnv } from "../../server-targets.ts";
import { connectStdio, type Launch } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { call, push, scratchDir, shuffle } from "./util.ts";

const EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";

interface Found {
  results?: { tool_id: string }[];
  indexing?: string[];
  total_available?: number;
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const suite = "gateway indexing";
  const s = scratchDir("gateway-index");
  const reps = ctx.quick ? 2 : 6;
  const everything = { command: "node", args: [join(ctx.root, EVERYTHING), "stdio"] };
  const home = join(s.dir, "home");
  mkdirSync(home, { recursive: true });
  let cacheN = 0;
  const launch = (k: number, cache: string): Launch => {
    const names = Array.from({ length: k }, (_, i) => (k === 1 ? "everything" : `srv${i}`));
    const cfg = join(s.dir, `lazy-${k}.mcp.json`);
    writeFileSync(cfg, JSON.stringify({ mcpServers: Object.fromEntries(names.map((n) => [n, everything])) }));
    return {
      command: env.mcpkit[0]!,
      args: [...env.mcpkit.slice(1), "gateway", "--config", cfg],
      env: baseEnv({
        HOME: home,
        MCPKIT_CACHE_DIR: join(s.dir, cache),
        XDG_CONFIG_HOME: join(home, ".config"),
      }),
      cwd: s.dir,
    };
  };
  // One sample: spawn → initialize → tools/list (handshake) → first search (the one-shot client).
  const sample = async (l: Launch, args: Record<string, unknown>) => {
    const t0 = performance.now();
    const { client } = await connectStdio(l);
    try {
      await client.listTools();
      const t1 = performance.now();
      const r = (await call(client, "gateway_catalog_search", args, 120_000)).data as Found;
      return { handshake: t1 - t0, search: performance.now() - t0, found: r };
    } finally {
      await client.close();
    }
  };
  const cases = [
    { key: "1-cold", k: 1, warm: false, label: "1 lazy server-everything, cold cache" },
    { key: "1-warm", k: 1, warm: true, label: "1 lazy server-everything, warm cache" },
    { key: "10-cold", k: 10, warm: false, label: "10 lazy server-everything copies, cold cache" },
    { key: "10-warm", k: 10, warm: true, label: "10 lazy server-everything copies, warm cache" },
  ];
  const hs = new Map<string, number[]>();
  const first = new Map<string, number[]>();
  const hits = new Map<string, number>();
  try {
    // Warm caches, filled once by a gateway that indexed everything.
    const warmCache = new Map<number, string>();
    for (const k of [1, 10]) {
      const cache = `cache-warm-${k}`;
      await sample(launch(k, cache), { query: "echo a message back", wait_ms: 60_000 });
      warmCache.set(k, cache);
    }
    for (let r = 0; r < reps; r++) {
      for (const c of shuffle(cases)) {
        const cache = c.warm ? warmCache.get(c.k)! : `cache-cold-${cacheN++}`;
        // Cold with 10 servers: wait for all of them (a 2-core machine starts ten Node servers in seconds).
        const args =
          c.k === 10 && !c.warm
            ? { query: "echo a message back", wait_ms: 60_000 }
            : { query: "echo a message back" };
        const x = await sample(launch(c.k, cache), args);
        push(hs, c.key, x.handshake);
        push(first, c.key, x.search);
        const top = x.found.results?.[0]?.tool_id ?? "";
        const ok = top.endsWith("::echo") && !x.found.indexing?.length;
        hits.set(c.key, (hits.get(c.key) ?? 0) + (ok ? 1 : 0));
      }
    }
    const hs1 = summarize(hs.get("1-cold")!).median;
    for (const c of cases) {
      const h = summarize(hs.get(c.key)!);
      ctx.add({
        suite,
        subject: `gateway (node bundle), ${c.label}`,
        metric: "spawn → initialize → tools/list",
        unit: "ms",
        ...h,
        note: c.key !== "1-cold" ? `${(h.median / hs1).toFixed(2)}× the 1-server cold handshake` : undefined,
      });
      ctx.add({
        suite,
        subject: `gateway (node bundle), ${c.label}`,
        metric:
          c.key === "10-cold"
            ? "spawn → first catalog_search with all 10 indexed"
            : "spawn → first catalog_search answered",
        unit: "ms",
        ...summarize(first.get(c.key)!),
        note: `top hit ::echo with nothing left indexing in ${hits.get(c.key) ?? 0}/${reps} runs`,
      });
    }
  } finally {
    s.cleanup();
  }
}

export const gatewayIndexSuite: ServerSuite = { name: "gateway-index", server: "gateway", run };
