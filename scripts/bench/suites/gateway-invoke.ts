// gateway-invoke: what gateway_invoke adds to a tool call, seen from a Node client and from a Bun client.
// Each client is a separate process running scripts/bench/invoke-client.mjs (the same file under both
// runtimes) against its own gateway and its own direct server-everything (same downstream program, same
// run); calls alternate between the two in shuffled pairs. Target: overhead ≤ 0.25 ms at the p50
// (issue #15), overhead = p50(gateway_invoke everything::echo) − p50(direct echo).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseEnv } from "../../server-targets.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { naRow, scratchDir, why } from "./util.ts";

const EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
const SUITE = "gateway invoke overhead by client";

interface ClientRun {
  runtime: string;
  gateway: number[];
  direct: number[];
}

function runClient(command: string, script: string, spec: unknown, cwd: string): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [script, JSON.stringify(spec)], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0)
        return reject(new Error(`client exited ${code}: ${err.trim().split("\n").pop() ?? ""}`));
      try {
        resolve(JSON.parse(out) as ClientRun);
      } catch {
        reject(new Error(`unreadable client output: ${out.slice(0, 200)}`));
      }
    });
  });
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const s = scratchDir("gateway-invoke");
  try {
    const everything = join(ctx.root, EVERYTHING);
    const home = join(s.dir, "home");
    mkdirSync(home, { recursive: true });
    const config = join(s.dir, "one.mcp.json");
    const echoServer = { command: "node", args: [everything, "stdio"] };
    writeFileSync(
      config,
      JSON.stringify({ autoStart: ["everything"], mcpServers: { everything: echoServer } }),
    );
    const childEnv = baseEnv({
      HOME: home,
      MCPKIT_CACHE_DIR: join(s.dir, "cache"),
      XDG_CONFIG_HOME: join(home, ".config"),
    });
    const spec = {
      gateway: {
        command: env.mcpkit[0],
        args: [...env.mcpkit.slice(1), "gateway", "--config", config, "--log-level", "warn"],
        env: childEnv,
        cwd: s.dir,
      },
      direct: { ...echoServer, env: childEnv, cwd: s.dir },
      calls: ctx.quick ? 500 : 3000,
      warmup: ctx.quick ? 100 : 300,
    };
    const script = join(ctx.root, "scripts/bench/invoke-client.mjs");
    const bun = join(ctx.root, "node_modules/.bin/bun");
    const clients = [
      { label: "Node client", command: "node", available: true },
      { label: "Bun client", command: bun, available: existsSync(bun) },
    ];
    for (const c of clients) {
      const gwLabel = `gateway (node bundle) · gateway_invoke everything::echo, ${c.label}`;
      const directLabel = `server-everything · echo direct, ${c.label}`;
      if (!c.available) {
        ctx.add(naRow(SUITE, gwLabel, "tools/call p50", "ms", "bun is not installed"));
        continue;
      }
      let r: ClientRun;
      try {
        r = await runClient(c.command, script, spec, ctx.root);
      } catch (e) {
        ctx.add(naRow(SUITE, gwLabel, "tools/call p50", "ms", why(e)));
        continue;
      }
      const gw = summarize(r.gateway);
      const direct = summarize(r.direct);
      // Pairs ran back to back, so their differences are the overhead of each call.
      const diffs = r.gateway.map((g, i) => g - (r.direct[i] ?? Number.NaN)).filter(Number.isFinite);
      ctx.add({
        suite: SUITE,
        subject: gwLabel,
        metric: "tools/call p50",
        unit: "ms",
        ...gw,
        peerMedian: direct.median,
        note: `${r.runtime} client; overhead ${(gw.median - direct.median).toFixed(3)} ms over the direct call`,
      });
      ctx.add({ suite: SUITE, subject: directLabel, metric: "tools/call p50", unit: "ms", ...direct });
      ctx.add({
        suite: SUITE,
        subject: `gateway_invoke overhead, ${c.label}`,
        metric: "p50(gateway) − p50(direct)",
        unit: "ms",
        ...summarize(diffs),
        median: gw.median - direct.median,
        target: { op: "<=", value: 0.25, of: "median" },
        note: `median of per-pair differences ${summarize(diffs).median.toFixed(3)} ms`,
      });
    }
  } finally {
    s.cleanup();
  }
}

export const gatewayInvokeSuite: ServerSuite = { name: "gateway-invoke", server: "gateway", run };
