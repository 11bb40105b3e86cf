import type { CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import { defineTool, type ToolDefinition } from "../../../core/tools/define-tool.ts";
import type { GatewayCore } from "../core.ts";

/** The SDK's request context of one call (signal, progress token, notify). */
export type Extra = ServerContext;

/** What every meta-tool handler gets: the shared core and the call's request context. */
export interface GatewayToolContext {
  core: GatewayCore;
  extra: Extra;
}

/**
 * One meta-tool. Its `name` is the verb (`invoke`); the registry lists it as `gateway_<verb>` or
 * `gateway.<verb>` (tool-names.ts).
 */
export type MetaTool = ToolDefinition<any, GatewayToolContext>;

export const metaTool = defineTool<GatewayToolContext>();

/** What a meta-tool answers: structured data, an optional short text, optional content blocks. */
export interface Reply {
  data: Record<string, unknown>;
  text?: string;
  content?: Array<Record<string, unknown> & { type: string }>;
  isError?: boolean;
}

/** A reply as a tool result: the content blocks (or the text, or the JSON of the data) and the data. */
export function reply(r: Reply): CallToolResult {
  return {
    content: (r.content ?? [
      { type: "text", text: r.text ?? JSON.stringify(r.data) },
    ]) as CallToolResult["content"],
    structuredContent: r.data,
    ...(r.isError ? { isError: true } : {}),
  };
}

/** Longest failure message kept: messages quote the caller's input, which may be megabytes. */
const MAX_FAILURE_CHARS = 2_000;

/** A failure the agent can act on: isError, `ok:false` and the message (with next step) in both forms. */
export function failure(message: string, extra: Record<string, unknown> = {}): CallToolResult {
  const text =
    message.length > MAX_FAILURE_CHARS
      ? `${message.slice(0, MAX_FAILURE_CHARS)}… (message cut: ${message.length} characters)`
      : message;
  return reply({ data: { ok: false, error: text, ...extra }, text, isError: true });
}

/**
 * The listed form of an input schema without the arguments kept only for PMCP compatibility (dotted
 * paths reach into a nested object, e.g. "options.redact_secrets"); they are still accepted.
 */
export function withoutArgs<S extends z.ZodObject>(schema: S, paths: string[]): z.ZodObject {
  const top = paths.filter((p) => !p.includes("."));
  const nested = new Map<string, string[]>();
  for (const p of paths) {
    const dot = p.indexOf(".");
    if (dot < 0) continue;
    const head = p.slice(0, dot);
    nested.set(head, [...(nested.get(head) ?? []), p.slice(dot + 1)]);
  }
  let out: z.ZodObject = top.length
    ? schema.omit(Object.fromEntries(top.map((k) => [k, true])) as never)
    : schema;
  for (const [head, rest] of nested) {
    let field = out.shape[head];
    const optional = field instanceof z.ZodOptional;
    if (optional) field = (field as z.ZodOptional).unwrap();
    if (!(field instanceof z.ZodObject)) throw new Error(`withoutArgs: '${head}' is not an object argument`);
    const trimmed = withoutArgs(field, rest);
    out = out.extend({ [head]: optional ? trimmed.optional() : trimmed });
  }
  return out;
}
