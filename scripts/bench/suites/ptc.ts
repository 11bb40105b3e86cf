// ptc: the cost of a downstream tools/call made directly by an MCP client vs the same call made from
// inside an execute_program script (sequential and Promise.all, per call, after subtracting an empty
// program run in the same round), execute_program start-up, and start-up with a downstream configured.
// Same approach as tests/fixtures/ptc/bench.mjs, against its mock downstream.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseEnv } from "../../server-targets.ts";
import type { Launch } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { call, openClients, scratchDir, timed } from "./util.ts";

const SUITE = "ptc call overhead";

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const mock = join(ctx.root, "tests/fixtures/ptc/mock-server.mjs");
  const runs = ctx.quick ? 5 : 15;
  const n = ctx.quick ? 100 : 200;
  const s = scratchDir("ptc");
  const clients = openClients();
  try {
    const config = join(s.dir, "config.yaml");
    writeFileSync(
      config,
      `servers:\n  - name: m\n    command: node\n    args: [${JSON.stringify(mock)}]\nexecution:\n  max_tool_calls: 100000\n  max_concurrent_calls: 16\n`,
    );
    const ptcLaunch: Launch = {
      command: env.mcpkit[0]!,
      args: [...env.mcpkit.slice(1), "ptc"],
      env: { ...env.target.env, HOME: s.dir, PTC_MCP_CONFIG: config },
      cwd: s.dir,
    };
    const { open, closeOne } = clients;

    // Start-up with the downstream configured: spawn + initialize + tools/list (first run = warm-up).
    const startup: number[] = [];
    for (let i = 0; i < (ctx.quick ? 3 : 8) + 1; i++) {
      const [ms, c] = await timed(async () => {
        const c = await open(ptcLaunch);
        await c.listTools();
        return c;
      });
      if (i > 0) startup.push(ms);
      await closeOne(c);
    }

    const ptc = await open(ptcLaunch);
    const direct = await open({ command: "node", args: [mock], env: baseEnv({ HOME: s.dir }), cwd: s.dir });
    const exec = async (code: string, language?: string) => {
      const [ms] = await timed(() =>
        call(ptc, "execute_program", { code, ...(language ? { language } : {}) }, 120_000),
      );
      return ms;
    };
    const SEQ = `for (let i = 0; i < ${n}; i++) await mcp__m__add({ a: i, b: 1 })`;
    const PAR = `await Promise.all(Array.from({ length: ${n} }, (_, i) => mcp__m__add({ a: i, b: 1 })))`;
    const SLEEPY = "await Promise.all(Array.from({ length: 10 }, () => mcp__m__slow({ ms: 200 })))";
    const directBatch = async () => {
      const [ms] = await timed(async () => {
        for (let i = 0; i < n; i++) await direct.callTool({ name: "add", arguments: { a: i, b: 1 } });
      });
      return ms / n;
    };
    let python = true;
    try {
      await exec("print(1)", "python");
    } catch {
      python = false; // no interpreter on this machine
    }
    // Warm-up.
    for (let i = 0; i < 2; i++) {
      await directBatch();
      await exec("1");
      await exec(SEQ);
      await exec(PAR);
    }
    const directMs: number[] = [];
    const empty: number[] = [];
    const seq: number[] = [];
    const par: number[] = [];
    const sleepy: number[] = [];
    const py: number[] = [];
    for (let r = 0; r < runs; r++) {
      // Alternate the order inside a round so neither side always runs first.
      const steps: (() => Promise<void>)[] = [
        async () => {
          directMs.push(await directBatch());
        },
        async () => {
          const e = await exec("1");
          const a = await exec(SEQ);
          const b = await exec(PAR);
          empty.push(e);
          seq.push(Math.max(0, a - e) / n);
          par.push(Math.max(0, b - e) / n);
        },
      ];
      for (const step of r % 2 ? steps.reverse() : steps) await step();
      sleepy.push(await exec(SLEEPY));
      if (python) py.push(await exec("print(1)", "python"));
    }
    const directMedian = summarize(directMs).median;
    ctx.add({
      suite: SUITE,
      subject: "mock downstream (direct client)",
      metric: "tools/call add, client → mock",
      unit: "ms/call",
      ...summarize(directMs),
      note: `${n} sequential calls per sample`,
    });
    ctx.add({
      suite: SUITE,
      subject: "ptc (node bundle)",
      metric: "add from a script, sequential",
      unit: "ms/call",
      ...summarize(seq),
      peerMedian: directMedian,
      note: `vs = direct client call; ${n} calls minus an empty program`,
    });
    ctx.add({
      suite: SUITE,
      subject: "ptc (node bundle)",
      metric: "add from a script, Promise.all",
      unit: "ms/call",
      ...summarize(par),
      peerMedian: directMedian,
      note: `vs = direct client call; ${n} calls, max_concurrent_calls 16`,
    });
    ctx.add({
      suite: SUITE,
      subject: "ptc (node bundle)",
      metric: "10 × 200 ms calls in Promise.all (whole execute_program)",
      unit: "ms",
      ...summarize(sleepy),
      note: "≈ 200 ms when the calls overlap",
    });
    ctx.add({
      suite: SUITE,
      subject: "ptc (node bundle)",
      metric: "execute_program start-up, JavaScript `1`",
      unit: "ms",
      ...summarize(empty),
    });
    if (python)
      ctx.add({
        suite: SUITE,
        subject: "ptc (node bundle)",
        metric: "execute_program start-up, Python `print(1)`",
        unit: "ms",
        ...summarize(py),
      });
    ctx.add({
      suite: SUITE,
      subject: "ptc (node bundle)",
      metric: "start-up with 1 downstream: spawn → initialize → tools/list",
      unit: "ms",
      ...summarize(startup),
    });
  } finally {
    await clients.closeAll();
    s.cleanup();
  }
}

export const ptcSuite: ServerSuite = { name: "ptc", server: "ptc", run };
