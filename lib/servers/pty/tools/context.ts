import { defineTool, type ToolCall, ToolError } from "../../../core/tools/define-tool.ts";
import type { Access } from "../policy.ts";
import { checkLease, checkOwnerAndScope } from "../policy.ts";
import type { PtyApp } from "../pty-app.ts";
import type { PtySession } from "../session.ts";
import type { Progress } from "../waits.ts";

/** Which policy switch exposes a tool (the `tier` of its definition; absent means default). */
export type Tier = "default" | "control" | "admin";

/** What every pty tool handler gets: the shared app, the call, and the policy-checked session lookup. */
export interface PtyToolContext {
  app: PtyApp;
  call: ToolCall;
  signal: AbortSignal;
  /** Progress sink for long waits; undefined when the client sent no progress token. */
  progress: Progress | undefined;
  /**
   * Ends a cancelled call before it consumes output: the client will never see the result, so the
   * output must stay unread for its next read.
   */
  stopIfCancelled(): void;
  /** Looks a session up and applies owner → scope → lease checks, in that order. */
  session(
    args: { session_id: string; owner?: string | null; client_id?: string | null },
    access: Access,
    opts?: { lease?: boolean },
  ): PtySession;
}

/** `ptyTool({...})` defines one pty tool on the core contract with its arguments typed. */
export const ptyTool = defineTool<PtyToolContext>();

export function makeContext(app: PtyApp, call: ToolCall): PtyToolContext {
  return {
    app,
    call,
    signal: call.signal,
    progress: call.wantsProgress
      ? (elapsed, total, message) => call.progress(elapsed, total, message)
      : undefined,
    stopIfCancelled() {
      if (call.signal.aborted) throw new ToolError("cancelled by the client; no output was consumed");
    },
    session(args, access, opts = {}) {
      const s = app.manager.get(args.session_id);
      checkOwnerAndScope(s, call.name, access, args.owner, app.config.requireOwner);
      if (opts.lease) checkLease(s, call.name, args.client_id);
      s.touch();
      return s;
    },
  };
}
