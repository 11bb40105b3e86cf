import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { TtyMode } from "./config.ts";
import type { LeaseAudit, Scope } from "./session-types.ts";

/** What survives a server restart for a named tmux session (pty_recover reads it back). */
export interface PersistedPane {
  session_id: string;
  name: string;
  owner: string;
  tmux_workspace: string | null;
  tmux_session: string;
  pane_id: string;
  command: string;
  cwd: string;
  cols: number;
  rows: number;
  tag: string | null;
  scope: Scope;
  tty_mode: TtyMode;
  created_at: number;
  audit: LeaseAudit;
}

/** A small JSON file of persisted panes, rewritten atomically. */
export class TmuxState {
  constructor(private readonly path: string) {}

  all(): PersistedPane[] {
    try {
      const data = JSON.parse(readFileSync(this.path, "utf8")) as { panes?: PersistedPane[] };
      return Array.isArray(data.panes) ? data.panes : [];
    } catch {
      return [];
    }
  }

  put(p: PersistedPane): void {
    this.write([...this.all().filter((e) => e.session_id !== p.session_id), p]);
  }

  remove(id: string): void {
    const all = this.all();
    const rest = all.filter((e) => e.session_id !== id);
    if (rest.length !== all.length) this.write(rest);
  }

  private write(panes: PersistedPane[]): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, panes }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
