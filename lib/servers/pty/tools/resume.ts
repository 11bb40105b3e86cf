import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import { checkOwnerAndScope } from "../policy.ts";
import { statusRecord } from "../status.ts";
import { recoverTmuxSessions } from "../tmux-setup.ts";
import { ptyTool } from "./context.ts";
import { exitShape, looseRecord, owner, READ } from "./schemas.ts";

export const ptyResume = ptyTool({
  name: "pty_resume",
  title: "Find a named session",
  description:
    "Looks up a live session by the name it was spawned with (and its owner) and returns its status; then pty_attach to continue. Only sessions this server is running; after a restart use pty_recover for tmux sessions.",
  input: z.object({ name: z.string().min(1), owner }).strict(),
  output: z.looseObject({ session_id: z.string(), ...exitShape }),
  hints: READ,
  async handler(a, ctx) {
    const { app } = ctx;
    if (app.config.requireOwner && !a.owner) throw new ToolError("owner is required for pty_resume");
    const found = app.manager
      .findByName(a.name, a.owner ?? null)
      .sort((x, y) => Number(y.running) - Number(x.running) || y.meta.createdAt - x.meta.createdAt);
    const s = found[0];
    if (!s)
      throw new ToolError(
        `no live session named '${a.name}' for this owner (after a server restart, try pty_recover)`,
      );
    checkOwnerAndScope(s, "pty_resume", "read", a.owner, app.config.requireOwner);
    s.touch();
    return structuredResult(statusRecord(s, app.leases, ""));
  },
});

export const ptyRecover = ptyTool({
  name: "pty_recover",
  title: "Recover a tmux session after restart",
  description:
    "Rebuilds a tmux-backed named session (spawned with name and owner) that outlived a server restart. Sessions of a shared tmux_workspace come back together or not at all. Recovered sessions are detached; last_lease_* is kept as history; output from before the restart is re-read from the pane log.",
  input: z.object({ name: z.string().min(1), owner: z.string().min(1) }).strict(),
  output: z.looseObject({ sessions: z.array(looseRecord) }),
  hints: "openIdempotentWrite",
  async handler(a, ctx) {
    const { app } = ctx;
    const sessions = await recoverTmuxSessions(app, a.name, a.owner);
    const rows = sessions.map((s) => statusRecord(s, app.leases, ""));
    return structuredResult({
      ok: true,
      session_id: rows.find((r) => r.name === a.name)?.session_id ?? null,
      sessions: rows,
    });
  },
});
