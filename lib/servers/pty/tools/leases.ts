import * as z from "zod";
import { structuredResult } from "../../../core/tools/define-tool.ts";
import { exitFields } from "../status.ts";
import { ptyTool } from "./context.ts";
import { looseRecord, owner, sessionId } from "./schemas.ts";

const client = z.string().min(1).describe("Your logical client id");
const reason = z.string().max(1000).nullish().describe("Why (kept in last_lease_reason)");

export const ptyAttach = ptyTool({
  name: "pty_attach",
  title: "Attach (take a client lease)",
  description:
    "Claims the session's client lease for client_id; interactive tools then require that client_id. Idempotent for the same client; refused while another client holds it (use pty_takeover). Owner and scope still apply.",
  input: z.object({ session_id: sessionId, owner, client_id: client }).strict(),
  output: looseRecord,
  hints: "idempotentWrite",
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const r = ctx.app.leases.attach(s, a.client_id);
    ctx.app.tmux?.refresh(s);
    return structuredResult({
      ok: true,
      session_id: s.id,
      attached_client_id: s.attachedClientId,
      already_attached: r.already,
      ...s.audit,
    });
  },
});

export const ptyDetach = ptyTool({
  name: "pty_detach",
  title: "Detach (release a client lease)",
  description: "Releases the lease held by client_id. The process keeps running; pty_close ends it.",
  input: z.object({ session_id: sessionId, owner, client_id: client }).strict(),
  output: looseRecord,
  hints: "idempotentWrite",
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const r = ctx.app.leases.detach(s, a.client_id);
    ctx.app.tmux?.refresh(s);
    return structuredResult({
      ok: true,
      session_id: s.id,
      was_attached: r.was_attached,
      ...exitFields(s),
      ...s.audit,
    });
  },
});

export const ptyHandoff = ptyTool({
  name: "pty_handoff",
  title: "Hand a lease to another client",
  description:
    "The current lease holder (client_id) passes the lease to target_client_id. In a shared tmux workspace every attached pane moves together. Audited in last_lease_*.",
  input: z
    .object({ session_id: sessionId, owner, client_id: client, target_client_id: client, reason })
    .strict(),
  output: looseRecord,
  hints: "write",
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const moved = ctx.app.leases.handoff(s, a.client_id, a.target_client_id, a.reason ?? null);
    for (const m of moved) ctx.app.tmux?.refresh(m);
    return structuredResult({
      ok: true,
      attached_client_id: s.attachedClientId,
      moved_session_ids: moved.map((m) => m.id),
      ...s.audit,
    });
  },
});

export const ptyTakeover = ptyTool({
  name: "pty_takeover",
  title: "Take a lease from another client",
  description:
    "client_id explicitly takes the lease held by from_client_id (e.g. when that client went away). In a shared tmux workspace every attached pane moves together. Audited in last_lease_*.",
  input: z
    .object({ session_id: sessionId, owner, client_id: client, from_client_id: client, reason })
    .strict(),
  output: looseRecord,
  hints: "write",
  async handler(a, ctx) {
    const s = ctx.session(a, "read");
    const moved = ctx.app.leases.takeover(s, a.client_id, a.from_client_id, a.reason ?? null);
    for (const m of moved) ctx.app.tmux?.refresh(m);
    return structuredResult({
      ok: true,
      attached_client_id: s.attachedClientId,
      moved_session_ids: moved.map((m) => m.id),
      ...s.audit,
    });
  },
});
