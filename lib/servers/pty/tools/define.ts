import type { CallToolResult, ServerContext, ToolAnnotations } from "@modelcontextprotocol/server";
import type * as z from "zod";
import type { Access } from "../policy.ts";
import { checkLease, checkOwnerAndScope } from "../policy.ts";
import type { PtyApp } from "../pty-app.ts";
import type { PtySession } from "../session.ts";
import type { Progress } from "../waits.ts";

export type Extra = ServerContext;

/** Which policy switch exposes a tool. */
export type Tier = "default" | "control" | "admin";

export interface ToolContext {
  app: PtyApp;
  extra: Extra;
  signal: AbortSignal;
  progress: Progress | undefined;
  /** Looks a session up and applies owner → scope → lease checks, in that order. */
  session(
    args: { session_id: string; owner?: string | null; client_id?: string | null },
    access: Access,
    opts?: { lease?: boolean },
  ): PtySession;
}

export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  tier: Tier;
  inputSchema: S;
  outputSchema?: z.ZodObject;
  annotations: Required<
    Pick<ToolAnnotations, "readOnlyHint" | "destructiveHint" | "idempotentHint" | "openWorldHint">
  >;
  handler(args: z.output<S>, ctx: ToolContext): Promise<CallToolResult>;
}

export function defineTool<S extends z.ZodObject>(def: ToolDef<S>): ToolDef<S> {
  return def;
}

/** A structured result whose text is either given (raw output for parity) or the JSON of the data. */
export function result(structured: Record<string, unknown>, text?: string): CallToolResult {
  return {
    content: [{ type: "text", text: text ?? JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

export function makeContext(app: PtyApp, extra: Extra, tool: string): ToolContext {
  const token = extra.mcpReq._meta?.progressToken;
  const progress: Progress | undefined =
    token === undefined
      ? undefined
      : (elapsed, total, message) => {
          void extra.mcpReq
            .notify({
              method: "notifications/progress",
              params: { progressToken: token, progress: elapsed, total, message },
            })
            .catch(() => {});
        };
  return {
    app,
    extra,
    signal: extra.mcpReq.signal,
    progress,
    session(args, access, opts = {}) {
      const s = app.manager.get(args.session_id);
      checkOwnerAndScope(s, tool, access, args.owner, app.config.requireOwner);
      if (opts.lease) checkLease(s, tool, args.client_id);
      s.touch();
      return s;
    },
  };
}
