// pty login environment: with a login profile that sleeps 1 s, spawn → first output under
// PTY_MCP_LOGIN_SHELL=once (the default: one login shell per server start, in the background) against
// per-spawn (pty-mcp's `bash -lc` for every spawn), measured in the same run. `--only pty-login`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { connectStdio } from "../mcp.ts";
import type { BenchContext } from "../report.ts";
import type { ServerSuite } from "../server-suites.ts";
import { summarize } from "../stats.ts";
import { call, scratchDir } from "./util.ts";

const SUITE = "pty login environment";

async function firstOutput(client: Client, i: number): Promise<number> {
  const mark = `LOGIN_OUT_${i}`;
  const t0 = performance.now();
  const { text: id } = await call(client, "pty_spawn", { command: `printf '%s\\n' ${mark}; exec sleep 60` });
  const r = await call(
    client,
    "pty_read_until",
    { session_id: id, pattern: mark, timeout_ms: 30_000 },
    40_000,
  );
  const dt = performance.now() - t0;
  await call(client, "pty_close", { session_id: id });
  if (r.data.matched !== true) throw new Error(`marker ${mark} not seen`);
  return dt;
}

async function run(ctx: BenchContext, env: Parameters<ServerSuite["run"]>[1]): Promise<void> {
  const reps = ctx.quick ? 3 : 10;
  const scratch = scratchDir("pty-login");
  try {
    writeFileSync(join(scratch.dir, ".bash_profile"), "sleep 1\nexport BENCH_PROFILE=1\n");
    const first = new Map<string, number>();
    const later = new Map<string, number[]>();
    for (const mode of ["once", "per-spawn"]) {
      const { client } = await connectStdio({
        command: env.mcpkit[0]!,
        args: [...env.mcpkit.slice(1), "pty", ...env.target.args],
        env: {
          ...env.target.env,
          HOME: scratch.dir,
          PTY_MCP_LOGIN_SHELL: mode,
          PTY_MCP_REQUIRE_OWNER: "0",
          PTY_MCP_LOG: "warn",
        },
        cwd: env.target.cwd,
      });
      try {
        // The first spawn right after the handshake: in `once` mode it waits for the capture.
        first.set(mode, await firstOutput(client, -1));
        const xs: number[] = [];
        for (let i = 0; i < reps; i++) xs.push(await firstOutput(client, i));
        later.set(mode, xs);
      } finally {
        await client.close();
      }
    }
    const perSpawn = summarize(later.get("per-spawn")!).median;
    ctx.add({
      suite: SUITE,
      subject: "pty (node bundle), PTY_MCP_LOGIN_SHELL=once",
      metric: "spawn → first output after the first spawn, profile sleeping 1 s",
      unit: "ms",
      ...summarize(later.get("once")!),
      peerMedian: perSpawn,
      target: { op: "<=", value: 50, of: "median" },
      note: `peer column: PTY_MCP_LOGIN_SHELL=per-spawn (bash -lc each spawn); first spawn after connect ${first.get("once")!.toFixed(0)} ms`,
    });
    ctx.add({
      suite: SUITE,
      subject: "pty (node bundle), PTY_MCP_LOGIN_SHELL=per-spawn",
      metric: "spawn → first output after the first spawn, profile sleeping 1 s",
      unit: "ms",
      ...summarize(later.get("per-spawn")!),
      note: `pty-mcp's behaviour; first spawn ${first.get("per-spawn")!.toFixed(0)} ms`,
    });
  } finally {
    scratch.cleanup();
  }
}

export const ptyLoginSuite: ServerSuite = { name: "pty-login", server: "pty", run };
