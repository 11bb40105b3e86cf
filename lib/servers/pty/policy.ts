import { ToolError } from "../../core/tools/define-tool.ts";
import type { PtySession } from "./session.ts";
import type { Scope } from "./session-types.ts";

/** What a tool does to a session: observe it, drive it, or signal it. */
export type Access = "read" | "write" | "control";

const ALLOWED: Record<Scope, readonly Access[]> = {
  "read-only": ["read"],
  "read-write": ["read", "write"],
  control: ["read", "write", "control"],
  admin: ["read", "write", "control"],
};

/** Owner first, then scope: leases never override these. */
export function checkOwnerAndScope(
  session: PtySession,
  tool: string,
  access: Access,
  owner: string | null | undefined,
  requireOwner: boolean,
): void {
  const sessionOwner = session.meta.owner;
  if (sessionOwner !== null) {
    if (!owner) {
      if (requireOwner) throw new ToolError("owner is required for this session");
    } else if (owner !== sessionOwner) {
      throw new ToolError("session owner mismatch");
    }
  }
  if (!ALLOWED[session.meta.scope].includes(access)) {
    throw new ToolError(`scope '${session.meta.scope}' does not allow tool '${tool}'`);
  }
}

/** Interactive tools on an attached session need the lease holder's client_id. */
export function checkLease(session: PtySession, tool: string, clientId: string | null | undefined): void {
  const holder = session.attachedClientId;
  if (holder === null || holder === clientId) return;
  throw new ToolError(
    clientId
      ? `session is attached to another client; ${tool} needs the lease holder's client_id (use pty_takeover to take the lease)`
      : `session is attached to a client; pass the lease holder's client_id to ${tool} (or pty_takeover)`,
  );
}
