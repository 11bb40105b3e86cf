import type { Backend, TtyMode } from "./config.ts";

export const SCOPES = ["read-only", "read-write", "control", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export type ExitReason =
  | "exited"
  | "signaled"
  | "timeout"
  | "killed"
  | "closed"
  | "idle"
  /** tmux backend: the pane disappeared (killed outside mcpkit); its exit status is unknown. */
  | "pane_vanished"
  /** tmux backend: the private tmux server went away with the pane; its exit status is unknown. */
  | "tmux_exited";

/** Lease audit record: who moved a lease last, and why. */
export interface LeaseAudit {
  last_lease_action: "attach" | "detach" | "handoff" | "takeover" | null;
  last_lease_client_id: string | null;
  last_lease_from_client_id: string | null;
  last_lease_reason: string | null;
  last_lease_at: number | null;
}

export interface SessionMeta {
  id: string;
  command: string;
  cwd: string;
  cols: number;
  rows: number;
  tag: string | null;
  owner: string | null;
  name: string | null;
  scope: Scope;
  separateStreams: boolean;
  backend: Backend;
  tmuxWorkspace: string | null;
  ttyMode: TtyMode;
  createdAt: number;
}
