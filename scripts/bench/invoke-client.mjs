// One MCP client process for the gateway invoke-overhead bench, run as is by Node and by Bun (plain
// JavaScript, so both runtimes execute the same code). It starts the gateway and the direct server it is
// given, warms both up, then alternates `gateway_invoke everything::echo` and a direct `echo` call (in
// shuffled pairs) and prints the latencies as JSON on stdout.
//   node|bun scripts/bench/invoke-client.mjs '<json: {gateway, direct, calls, warmup}>'

import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const spec = JSON.parse(process.argv[2] ?? "{}");

async function open(launch) {
  const client = new Client({ name: "mcpkit-bench-invoke", version: "0" });
  await client.connect(
    new StdioClientTransport({
      command: launch.command,
      args: launch.args,
      env: launch.env,
      cwd: launch.cwd,
      stderr: "ignore",
    }),
  );
  return client;
}

async function check(promise, what) {
  const r = await promise;
  if (r.isError) throw new Error(`${what} failed: ${JSON.stringify(r.content).slice(0, 300)}`);
  return r;
}

const gw = await open(spec.gateway);
const direct = await open(spec.direct);
try {
  const viaGateway = () =>
    check(
      gw.callTool({
        name: "gateway_invoke",
        arguments: { tool_id: "everything::echo", arguments: { message: "x" } },
      }),
      "gateway_invoke",
    );
  const viaDirect = () => check(direct.callTool({ name: "echo", arguments: { message: "x" } }), "echo");
  // The first invoke may start the downstream; the rest warm up the JIT on both sides.
  for (let i = 0; i < (spec.warmup ?? 200); i++) {
    await viaGateway();
    await viaDirect();
  }
  const out = { runtime: typeof globalThis.Bun !== "undefined" ? "bun" : "node", gateway: [], direct: [] };
  const time = async (fn, into) => {
    const t = performance.now();
    await fn();
    into.push(performance.now() - t);
  };
  for (let i = 0; i < (spec.calls ?? 1000); i++) {
    if (Math.random() < 0.5) {
      await time(viaGateway, out.gateway);
      await time(viaDirect, out.direct);
    } else {
      await time(viaDirect, out.direct);
      await time(viaGateway, out.gateway);
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await gw.close().catch(() => {});
  await direct.close().catch(() => {});
}
process.exit(0);
