import type {
  CallToolResult,
  ClientCapabilities,
  InputRequiredResult,
  ServerContext as SdkContext,
} from "@modelcontextprotocol/server";
import type { z } from "zod";
import type { HintsSpec } from "./annotations.ts";

/** What one `tools/call` gives every handler, whatever the server. */
export interface ToolCall {
  /** The tool's listed name. */
  name: string;
  /** Aborted when the client cancels the request or the connection closes. */
  signal: AbortSignal;
  /** True when the client sent a progress token, so `progress()` reaches it. */
  wantsProgress: boolean;
  /**
   * Sends `notifications/progress` for this request; does nothing when the client did not ask. Resolves
   * (never rejects) once the notification is handed to the transport: await it before returning, so the
   * notification cannot arrive after the result (a client drops progress for a finished request).
   */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The SDK's request context (elicitation, input responses of a retried call, HTTP auth info). */
  request: SdkContext;
  /**
   * What the client declared it can do: the request's own envelope on 2026-07-28, the `initialize`
   * capabilities on a 2025-era connection; undefined when unknown.
   */
  clientCapabilities: ClientCapabilities | undefined;
  /**
   * The authenticated caller (OAuth over HTTP): its subject, client and scopes, never its token.
   * Undefined on stdio, with a static token, or without auth.
   */
  caller?: { subject: string; clientId?: string; scopes: readonly string[] };
}

/** What a handler returns: a tool result, or (2026-07-28) a request for input before it can finish. */
export type ToolOutcome = CallToolResult | InputRequiredResult;

/**
 * One tool, everything about it in one object. `C` is the server's own handler context (built once per
 * call by the registry's `context` function), so a tool file names the services it uses and nothing else.
 */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, C = unknown> {
  name: string;
  title: string;
  /** What the tool is for and what the schema does not already say. */
  description: string;
  /** Validates arguments; make it `.strict()` so unknown arguments are refused. */
  input: I;
  /**
   * The schema shown in tools/list when it differs from `input`: arguments still accepted for
   * compatibility with an original but not worth their tokens in every listing.
   */
  listedInput?: z.ZodObject;
  /** Shape of `structuredContent`; listed as `outputSchema` and checked on every successful result. */
  output?: z.ZodObject;
  hints: HintsSpec;
  /** Group for `--toolsets` selection (GitHub MCP server style); "core" when not given. */
  toolset?: string;
  /** Policy tier that exposes the tool (e.g. pty's control/admin switches); "default" when not given. */
  tier?: string;
  handler(args: z.output<I>, ctx: C): Promise<ToolOutcome> | ToolOutcome;
}

/** Identity, for type inference: `export default defineTool<PtyToolContext>()({...})` keeps args typed. */
export function defineTool<C>() {
  return <I extends z.ZodObject>(def: ToolDefinition<I, C>): ToolDefinition<I, C> => def;
}

/** A failure the caller can act on: its message becomes an `isError` result, never a protocol error. */
export class ToolError extends Error {
  readonly data?: Record<string, unknown>;
  constructor(message: string, data?: Record<string, unknown>) {
    super(message);
    this.name = "ToolError";
    this.data = data;
  }
}

/** A structured result; the text block is the given text, or the JSON of the data. */
export function structuredResult(data: Record<string, unknown>, text?: string): CallToolResult {
  return { content: [{ type: "text", text: text ?? JSON.stringify(data) }], structuredContent: data };
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }] };
}

export function errorResult(message: string, data?: Record<string, unknown>): CallToolResult {
  const result: CallToolResult = { content: [{ type: "text", text: message }], isError: true };
  if (data) result.structuredContent = data;
  return result;
}
