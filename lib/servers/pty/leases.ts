import { ToolError } from "../../core/tools/define-tool.ts";
import type { PtySession } from "./session.ts";
import type { LeaseAudit } from "./session-types.ts";

/**
 * Client leases: coordination between clients sharing a session, never an authorization override
 * (owner and scope are checked before any of this). Sessions of one owner in one tmux workspace move
 * together, so a workspace never has two lease holders.
 */
export class LeaseBook {
  constructor(private readonly sessions: () => PtySession[]) {}

  /** The live sessions that share a lease with `s` (itself, plus its tmux workspace siblings). */
  group(s: PtySession): PtySession[] {
    if (s.meta.backend !== "tmux" || !s.meta.tmuxWorkspace) return [s];
    return this.sessions().filter(
      (o) =>
        o === s ||
        (o.running &&
          o.meta.backend === "tmux" &&
          o.meta.tmuxWorkspace === s.meta.tmuxWorkspace &&
          o.meta.owner === s.meta.owner),
    );
  }

  /** The client holding the workspace (or session) lease, if any. */
  holder(s: PtySession): string | null {
    for (const o of this.group(s)) if (o.attachedClientId) return o.attachedClientId;
    return null;
  }

  attach(s: PtySession, clientId: string): { already: boolean } {
    if (!s.running) throw new ToolError("session has exited; attach needs a live session");
    const holder = this.holder(s);
    if (holder !== null && holder !== clientId) {
      throw new ToolError(
        s.attachedClientId
          ? "session is already attached to another client; use pty_takeover to take the lease explicitly"
          : "tmux workspace is attached to another client; use pty_takeover to take the lease explicitly",
      );
    }
    const already = s.attachedClientId === clientId;
    s.attachedClientId = clientId;
    if (!already) record(s, "attach", clientId, null, null);
    return { already };
  }

  detach(s: PtySession, clientId: string): { was_attached: boolean } {
    if (s.attachedClientId === null) return { was_attached: false };
    if (s.attachedClientId !== clientId) {
      throw new ToolError("session is attached to another client; only the lease holder can detach");
    }
    s.attachedClientId = null;
    record(s, "detach", clientId, clientId, null);
    return { was_attached: true };
  }

  handoff(s: PtySession, clientId: string, target: string, reason: string | null): PtySession[] {
    if (s.attachedClientId !== clientId) {
      throw new ToolError(
        s.attachedClientId === null
          ? "session is not attached; pty_handoff needs a current lease (pty_attach first)"
          : "pty_handoff must be called by the current lease holder",
      );
    }
    return this.move(s, clientId, target, "handoff", reason);
  }

  takeover(s: PtySession, clientId: string, from: string, reason: string | null): PtySession[] {
    if (s.attachedClientId === null) throw new ToolError("session is not attached; use pty_attach instead");
    if (s.attachedClientId !== from) {
      throw new ToolError("from_client_id does not hold this session's lease");
    }
    return this.move(s, from, clientId, "takeover", reason);
  }

  private move(
    s: PtySession,
    from: string,
    to: string,
    action: "handoff" | "takeover",
    reason: string | null,
  ) {
    const moved = this.group(s).filter((o) => o.attachedClientId === from);
    for (const o of moved) {
      o.attachedClientId = to;
      record(o, action, to, from, reason);
    }
    return moved;
  }
}

function record(
  s: PtySession,
  action: NonNullable<LeaseAudit["last_lease_action"]>,
  clientId: string,
  from: string | null,
  reason: string | null,
): void {
  s.audit = {
    last_lease_action: action,
    last_lease_client_id: clientId,
    last_lease_from_client_id: from,
    last_lease_reason: reason,
    last_lease_at: Date.now() / 1000,
  };
  s.log?.event(action, { client_id: clientId, from_client_id: from, reason });
}
