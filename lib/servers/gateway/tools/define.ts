import type { ServerContext } from "@modelcontextprotocol/server";
import type { z } from "zod";
import type { GatewayCore } from "../core.ts";

export type Extra = ServerContext;

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a meta-tool hands back: structured data, an optional short text, optional content blocks. */
export interface Reply {
  data: Record<string, unknown>;
  text?: string;
  content?: Array<Record<string, unknown> & { type: string }>;
  isError?: boolean;
}

/** One meta-tool: everything about it in one object (name is `gateway_<verb>` or `gateway.<verb>`). */
export interface MetaTool<S extends z.ZodObject = z.ZodObject> {
  verb: string;
  title: string;
  description: string;
  input: S;
  annotations: Annotations;
  /**
   * PMCP arguments accepted for compatibility but left out of tools/list to fit the token budget
   * (dotted paths, e.g. "options.redact_secrets").
   */
  unlisted?: string[];
  run(args: z.output<S>, core: GatewayCore, extra: Extra): Promise<Reply>;
}

export function defineTool<S extends z.ZodObject>(tool: MetaTool<S>): MetaTool<S> {
  return tool;
}

/** Longest failure message kept: messages quote the caller's input, which may be megabytes. */
const MAX_FAILURE_CHARS = 2_000;

/** A failure the agent can act on: isError, `ok:false` and the message (with next step) in both forms. */
export function failure(message: string, extra: Record<string, unknown> = {}): Reply {
  const text =
    message.length > MAX_FAILURE_CHARS
      ? `${message.slice(0, MAX_FAILURE_CHARS)}… (message cut: ${message.length} characters)`
      : message;
  return { data: { ok: false, error: text, ...extra }, text, isError: true };
}

export const READ_ONLY: Annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
