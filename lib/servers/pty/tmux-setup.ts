import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ToolError } from "../../core/tools/define-tool.ts";
import type { PtyApp } from "./pty-app.ts";
import { PtySession } from "./session.ts";
import { SessionLog } from "./session-log.ts";
import { TmuxBackend } from "./tmux-backend.ts";
import { TmuxClient } from "./tmux-client.ts";
import type { PersistedPane } from "./tmux-state.ts";

/** Wires the tmux backend into the app when tmux is installed; without it, backend="tmux" is refused. */
export async function createTmuxBackend(app: PtyApp): Promise<void> {
  const { config } = app;
  if (!(await TmuxClient.available(config.tmuxBin))) {
    if (config.backend === "tmux")
      app.log.warn("PTY_MCP_BACKEND=tmux but tmux was not found; tmux sessions will be refused");
    return;
  }
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const backend = new TmuxBackend(
    new TmuxClient(config.tmuxBin, join(config.stateDir, "tmux.sock")),
    config.stateDir,
    config.tmuxPersist,
  );
  app.tmux = backend;
  app.manager.tmuxSpawner = (session, req, handlers) => backend.spawn(session, req, handlers);
  app.manager.onRemoved = (s) => {
    if (s.meta.backend === "tmux") void backend.removed(s);
  };
}

/** pty_recover: adopt the persisted panes of a named session (and its workspace) as live sessions. */
export async function recoverTmuxSessions(app: PtyApp, name: string, owner: string): Promise<PtySession[]> {
  const backend = app.tmux;
  if (!backend) throw new ToolError("tmux backend is not available (tmux not found)");
  const adopt = (e: PersistedPane, alive: boolean): PtySession => {
    const s = new PtySession(
      {
        id: e.session_id,
        command: e.command,
        cwd: e.cwd,
        cols: e.cols,
        rows: e.rows,
        tag: e.tag,
        owner: e.owner,
        name: e.name,
        scope: e.scope,
        separateStreams: false,
        backend: "tmux",
        tmuxWorkspace: e.tmux_workspace,
        ttyMode: e.tty_mode,
        createdAt: e.created_at,
      },
      { ...app.manager.limits },
    );
    if (app.config.echoFilter) s.enableEchoFilter();
    s.recovered = true;
    s.recoveredAt = Date.now();
    s.audit = { ...e.audit };
    if (app.config.sessionLogDir) {
      try {
        s.log = new SessionLog(app.config.sessionLogDir, s.id);
      } catch {}
    }
    s.log?.event("recover", { name: e.name, owner: e.owner, tmux_workspace: e.tmux_workspace, alive });
    app.manager.adopt(s);
    return s;
  };
  try {
    return await backend.recover(name, owner, adopt, (id) => app.manager.sessions.has(id));
  } catch (e) {
    throw new ToolError((e as Error).message);
  }
}
