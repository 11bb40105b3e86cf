import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import { exitFields, listEntry, statusRecord } from "../status.ts";
import { waitUntil } from "../waits.ts";
import { ptyTool } from "./context.ts";
import { readerKey } from "./output.ts";
import { DESTRUCTIVE, exitShape, looseRecord, owner, READ, sessionRef, timeoutMs } from "./schemas.ts";

export const ptyResize = ptyTool({
  name: "pty_resize",
  title: "Resize a terminal",
  description:
    "Sets the terminal size (the program gets SIGWINCH). On a shared tmux workspace this is best-effort.",
  input: z
    .object({
      ...sessionRef,
      cols: z.number().int().min(1).max(1000),
      rows: z.number().int().min(1).max(1000),
    })
    .strict(),
  output: looseRecord,
  hints: "idempotentWrite",
  async handler(a, ctx) {
    const s = ctx.session(a, "write", { lease: true });
    if (!s.running) throw new ToolError("session has exited; nothing to resize");
    ctx.app.manager.resize(s, a.cols, a.rows);
    return structuredResult({ ok: true, cols: a.cols, rows: a.rows }, "ok");
  },
});

export const ptyClose = ptyTool({
  name: "pty_close",
  title: "Close a session",
  description:
    "Ends the session's process group (SIGTERM, SIGKILL after a grace period) and forgets the session. Closing twice is an error.",
  input: z.object(sessionRef).strict(),
  output: looseRecord,
  hints: DESTRUCTIVE,
  async handler(a, ctx) {
    const s = ctx.session(a, "write", { lease: true });
    const wasRunning = s.running;
    await ctx.app.manager.close(s, "closed");
    return structuredResult({ ok: true, was_running: wasRunning, ...exitFields(s) }, "ok");
  },
});

export const ptyStatus = ptyTool({
  name: "pty_status",
  title: "Session status",
  description:
    "Process state (running, exit_code, signal, exit_reason), sizes, byte offsets, dropped bytes, limits and lease state of one session. Works for finished sessions during the retention window.",
  input: z.object(sessionRef).strict(),
  output: z.looseObject({ session_id: z.string(), ...exitShape }),
  hints: READ,
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    return structuredResult(statusRecord(s, ctx.app.leases, readerKey(a.client_id)));
  },
});

export const ptyWait = ptyTool({
  name: "pty_wait",
  title: "Wait for exit",
  description:
    "Waits until the process exits (event-driven, with progress notifications) or timeout_ms passes; returns the exit status. Does not touch output.",
  input: z.object({ ...sessionRef, timeout_ms: timeoutMs("default 10000") }).strict(),
  output: z.looseObject(exitShape),
  hints: READ,
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    await waitUntil(s, () => !s.running, {
      timeoutMs: a.timeout_ms ?? 10_000,
      signal: ctx.signal,
      progress: ctx.progress,
      stopOnExit: false,
    });
    const e = exitFields(s);
    return structuredResult({ ...e, unread_bytes: s.pending(readerKey(a.client_id), "pty") });
  },
});

export const ptyList = ptyTool({
  name: "pty_list",
  title: "List sessions",
  description:
    "Sessions of an owner (required by default policy), optionally filtered by tag, most recently active first.",
  input: z.object({ tag: z.string().nullish(), owner }).strict(),
  output: z.looseObject({ sessions: z.array(looseRecord) }),
  hints: READ,
  async handler(a, ctx) {
    if (ctx.app.config.requireOwner && !a.owner) throw new ToolError("owner is required for pty_list");
    const rows = ctx.app.manager
      .list()
      .filter((s) => (!a.owner || s.meta.owner === a.owner) && (!a.tag || s.meta.tag === a.tag))
      .sort((x, y) => y.lastActive - x.lastActive)
      .map((s) => listEntry(s, ctx.app.leases));
    return structuredResult({ sessions: rows, count: rows.length }, JSON.stringify(rows));
  },
});

const SIGNALS = ["SIGINT", "SIGTERM", "SIGKILL", "SIGHUP", "SIGQUIT"] as const;

export const ptySignal = ptyTool({
  name: "pty_signal",
  title: "Signal a process group",
  description: `Sends a signal (${SIGNALS.join(", ")}, with or without the SIG prefix) to the session's process group. Needs scope control or admin. Not available for tmux sessions.`,
  tier: "control",
  input: z.object({ ...sessionRef, sig: z.string().min(1) }).strict(),
  output: looseRecord,
  hints: DESTRUCTIVE,
  async handler(a, ctx) {
    const name = a.sig.trim().toUpperCase();
    const sig = (name.startsWith("SIG") ? name : `SIG${name}`) as (typeof SIGNALS)[number];
    if (!SIGNALS.includes(sig))
      throw new ToolError(`unsupported signal: ${a.sig} (use one of ${SIGNALS.join(", ")})`);
    const s = ctx.session(a, "control", { lease: true });
    if (s.meta.backend === "tmux") throw new ToolError("pty_signal is not supported for tmux sessions");
    if (!s.running) return structuredResult({ ok: true, note: "already exited", ...exitFields(s) });
    if (s.pendingReason === null) s.pendingReason = "signaled";
    s.handle?.kill(sig);
    s.log?.event("signal", { signal: sig });
    return structuredResult({ ok: true, signal: sig });
  },
});
