import { realpathSync, statSync } from "node:fs";
import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import type { Limits } from "../config.ts";
import { type PtyToolContext, ptyTool } from "./context.ts";
import { DESTRUCTIVE, looseRecord, READ } from "./schemas.ts";

const limitsShape = {
  max_output_bytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .nullish(),
  spawn_timeout_sec: z.number().int().min(0).nullish(),
  idle_timeout_sec: z.number().int().min(0).nullish(),
  read_timeout_ms: z.number().int().min(0).max(600_000).nullish(),
  rate_limit_bps: z.number().int().min(0).nullish(),
  input_rate_bps: z.number().int().min(0).nullish(),
};

export const ptyCloseAll = ptyTool({
  name: "pty_close_all",
  title: "Close every session",
  description: "Ends every session's process group and forgets all sessions.",
  tier: "admin",
  input: z.object({}).strict(),
  output: looseRecord,
  hints: DESTRUCTIVE,
  async handler(_a, ctx) {
    const closed = await ctx.app.manager.closeAll();
    return structuredResult({ ok: true, closed }, "ok");
  },
});

export const setDefaultCwd = ptyTool({
  name: "set_default_cwd",
  title: "Set the default working directory",
  description: "Working directory for later spawns that pass no cwd.",
  tier: "admin",
  input: z.object({ cwd: z.string().min(1) }).strict(),
  output: looseRecord,
  hints: "idempotentWrite",
  async handler(a, ctx) {
    let real: string;
    try {
      real = realpathSync(a.cwd);
      if (!statSync(real).isDirectory()) throw new Error();
    } catch {
      throw new ToolError(`cwd does not exist or is not a directory: ${a.cwd}`);
    }
    ctx.app.manager.defaultCwd = real;
    return structuredResult({ ok: true, cwd: real });
  },
});

export const getDefaultCwd = ptyTool({
  name: "get_default_cwd",
  title: "Get the default working directory",
  description: "The working directory used by spawns that pass no cwd.",
  tier: "admin",
  input: z.object({}).strict(),
  output: looseRecord,
  hints: READ,
  async handler(_a, ctx) {
    return structuredResult({ cwd: ctx.app.manager.defaultCwd ?? process.cwd() });
  },
});

export const setLimits = ptyTool({
  name: "set_limits",
  title: "Change limits",
  description:
    "Changes default limits for new sessions and rewrites them on existing sessions; returns the limits now in force.",
  tier: "admin",
  input: z.object(limitsShape).strict(),
  output: looseRecord,
  hints: "idempotentWrite",
  async handler(a, ctx) {
    const changes: Partial<Limits> = {};
    for (const [k, v] of Object.entries(a))
      if (v !== undefined && v !== null) (changes as Record<string, number>)[k] = v;
    ctx.app.manager.applyLimits(changes);
    return structuredResult({ ...ctx.app.manager.limits });
  },
});

export const getLimits = ptyTool({
  name: "get_limits",
  title: "Get limits",
  description: "Default limits for new sessions.",
  tier: "admin",
  input: z.object({}).strict(),
  output: looseRecord,
  hints: READ,
  async handler(_a, ctx) {
    return structuredResult({ ...ctx.app.manager.limits });
  },
});

function totals(ctx: PtyToolContext) {
  const list = ctx.app.manager.list();
  return {
    uptime_sec: (Date.now() - ctx.app.manager.startedAt) / 1000,
    session_count: list.length,
    running_count: list.filter((s) => s.running).length,
    max_sessions: ctx.app.config.maxSessions,
    list,
  };
}

export const ptyMetrics = ptyTool({
  name: "pty_metrics",
  title: "Metrics",
  description: "Counters across all sessions.",
  tier: "admin",
  input: z.object({}).strict(),
  output: looseRecord,
  hints: READ,
  async handler(_a, ctx) {
    const { list, ...t } = totals(ctx);
    const sum = (f: (s: (typeof list)[number]) => number) => list.reduce((n, s) => n + f(s), 0);
    return structuredResult({
      ...t,
      bytes_read_total: sum((s) => s.bytesRead),
      bytes_written_total: sum((s) => s.bytesWritten),
      rate_dropped_total: sum((s) => s.rateDropped),
      input_dropped_total: sum((s) => s.inputDropped),
      dropped_bytes_total: sum((s) => s.rings.pty.droppedBytes),
      truncated_sessions: list.filter((s) => s.rings.pty.droppedBytes > 0).length,
    });
  },
});

export const ptyHealth = ptyTool({
  name: "pty_health",
  title: "Health",
  description: "Liveness summary.",
  tier: "admin",
  input: z.object({}).strict(),
  output: looseRecord,
  hints: READ,
  async handler(_a, ctx) {
    const { list: _l, running_count: _r, ...t } = totals(ctx);
    return structuredResult({
      ok: true,
      version: ctx.app.version,
      backend: ctx.app.config.backend,
      tmux_available: ctx.app.tmux !== null,
      login_env: ctx.app.manager.loginEnv.describe(),
      ...t,
    });
  },
});
