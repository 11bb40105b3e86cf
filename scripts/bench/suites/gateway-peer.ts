// The gateway's peer from issue #5: mcp-hub (ravitemer, a devDependency), the npm aggregator that fronts
// many configured servers behind one MCP endpoint, as our gateway does (mcp-proxy bridges a single stdio
// server to HTTP, a different job). mcp-hub 4.x serves MCP only as legacy SSE (GET /mcp + POST /messages;
// POST /mcp is a 404), so the SDK's SSE client talks to it. Its marketplace catalog is pre-seeded in a
// scratch XDG_DATA_HOME so it does not try to fetch the registry from the network.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client, SSEClientTransport } from "@modelcontextprotocol/client";
import { baseEnv } from "../../server-targets.ts";
import { freePort, sleep } from "./util.ts";

const HUB = "node_modules/mcp-hub";

export function hubLabel(root: string): string {
  try {
    return `mcp-hub ${JSON.parse(readFileSync(join(root, HUB, "package.json"), "utf8")).version} (SSE /mcp)`;
  } catch {
    return "mcp-hub (SSE /mcp)";
  }
}

export interface Hub {
  pid: number;
  client: Client;
  /** ms from spawn to the SSE initialize being answered */
  initMs: number;
  /** Resolves when every configured server is connected (GET /api/health). */
  ready(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHub(
  root: string,
  dir: string,
  name: string,
  servers: Record<string, { command: string; args: string[] }>,
): Promise<Hub> {
  const home = join(dir, `hub-${name}`);
  const data = join(home, "data");
  mkdirSync(join(data, "mcp-hub", "cache"), { recursive: true });
  writeFileSync(
    join(data, "mcp-hub", "cache", "registry.json"),
    JSON.stringify({
      registry: { servers: [{ id: "none", name: "none" }] },
      lastFetchedAt: Date.now() + 86_400_000,
      serverDocumentation: {},
    }),
  );
  const config = join(home, "mcp-servers.json");
  writeFileSync(config, JSON.stringify({ mcpServers: servers }));
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn("node", [join(root, HUB, "dist/cli.js"), "--port", String(port), "--config", config], {
    env: baseEnv({
      HOME: home,
      XDG_DATA_HOME: data,
      XDG_STATE_HOME: join(home, "state"),
      XDG_CONFIG_HOME: join(home, "config"),
    }),
    cwd: home,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => {
    err = (err + d).slice(-400);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await done;
    clearTimeout(t);
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    let client: Client | undefined;
    for (const end = performance.now() + 30_000; !client; ) {
      if (child.exitCode !== null) throw new Error(`mcp-hub exited ${child.exitCode}: ${err}`);
      if (performance.now() > end) throw new Error(`mcp-hub did not answer on ${base}/mcp in 30 s`);
      const c = new Client({ name: "mcpkit-bench", version: "0" });
      try {
        await c.connect(new SSEClientTransport(new URL(`${base}/mcp`)));
        client = c;
      } catch {
        await c.close().catch(() => {});
        await sleep(10);
      }
    }
    const initMs = performance.now() - t0;
    return {
      pid: child.pid!,
      client,
      initMs,
      ready: async (count, timeoutMs = 60_000) => {
        for (const end = performance.now() + timeoutMs; ; await sleep(20)) {
          try {
            const h = (await (await fetch(`${base}/api/health`)).json()) as {
              servers?: { status: string }[];
            };
            if ((h.servers ?? []).filter((s) => s.status === "connected").length >= count) return;
          } catch {}
          if (performance.now() > end) throw new Error(`mcp-hub: ${count} servers not connected in time`);
        }
      },
      stop: async () => {
        await client!.close().catch(() => {});
        await stop();
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
