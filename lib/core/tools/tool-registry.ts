import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext as SdkContext,
  type Server,
  type Tool,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { errorMessage } from "../errors.ts";
import { type ToolAccess, toolAccessOf } from "./access.ts";
import { resolveHints } from "./annotations.ts";
import {
  errorResult,
  type ToolCall,
  type ToolDefinition,
  ToolError,
  type ToolOutcome,
} from "./define-tool.ts";

export type AnyTool<C> = ToolDefinition<any, C>;

/** Which tools a server instance offers, and what a call to a hidden one answers. */
export interface ToolSelection<C> {
  /** Listed and callable. Default: every tool. */
  visible?(tool: AnyTool<C>): boolean;
  /**
   * For a hidden tool called by name: the refusal to return as an `isError` result (pty-mcp's
   * "tool disabled by policy: …"). Without it, a hidden tool is an unknown tool.
   */
  refusal?(tool: AnyTool<C>): string | undefined;
  /**
   * For a listed tool whose calls this instance refuses (ptm's write tools in read-only mode): the refusal,
   * returned as an `isError` result once the arguments validate, before the handler runs.
   */
  refuse?(tool: AnyTool<C>): string | undefined;
}

export interface ToolRegistryOptions<C> {
  /** Builds the server's handler context for one call. */
  context(call: ToolCall): C;
  /** Turns a thrown error into the tool's failure result (default: its message, `isError`). */
  failure?(error: unknown, tool: AnyTool<C>): CallToolResult;
  /** Told about errors that are not ToolErrors (programming errors, surprises), for the log. */
  onUnexpected?(error: unknown, tool: AnyTool<C>): void;
  /** The result for arguments its input schema refuses (default: "Invalid arguments for <name>: …"). */
  invalidArguments?(tool: AnyTool<C>, error: z.ZodError): CallToolResult;
  /**
   * The answer to a call naming no tool of this instance. Default: the JSON-RPC error -32602; a server
   * keeping an original's behaviour (the gateway, as PMCP) may answer with an `isError` result instead.
   */
  unknownTool?(name: string): CallToolResult;
  /** Rewrites a tool's tools/list entry once, when it is first computed (e.g. trimmed for tokens). */
  listing?(entry: Tool, tool: AnyTool<C>): Tool;
}

const JSON_SCHEMA_TARGET = "draft-2020-12";

/** zod → the JSON Schema a client sees; `$schema` is dropped (every listing would pay for it). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Tool["inputSchema"] {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: JSON_SCHEMA_TARGET, io }) as Record<
    string,
    unknown
  >;
  return { type: "object", ...rest } as Tool["inputSchema"];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        return `${path ? `${path}: ` : ""}unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
      }
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/**
 * The one owner of `tools/list` and `tools/call` for every mcpkit server: an inventory of tool
 * definitions, filtered per server instance (read-only mode, tiers, toolsets, policy), validated with
 * each tool's own zod schema, with errors and progress handled the same way everywhere.
 */
export class ToolRegistry<C> {
  readonly tools: readonly AnyTool<C>[];
  private readonly byName = new Map<string, AnyTool<C>>();
  private readonly listings = new WeakMap<AnyTool<C>, Tool>();

  constructor(
    tools: readonly AnyTool<C>[],
    private readonly options: ToolRegistryOptions<C>,
  ) {
    this.tools = tools;
    for (const tool of tools) {
      if (this.byName.has(tool.name)) throw new Error(`two tools are named ${tool.name}`);
      this.byName.set(tool.name, tool);
    }
  }

  get(name: string): AnyTool<C> | undefined {
    return this.byName.get(name);
  }

  /** The tools/list entry of one tool (computed once, then reused by every listing). */
  listing(tool: AnyTool<C>): Tool {
    let entry = this.listings.get(tool);
    if (!entry) {
      entry = {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: jsonSchema(tool.listedInput ?? tool.input, "input"),
        annotations: { ...resolveHints(tool.hints) },
      };
      if (tool.output) entry.outputSchema = jsonSchema(tool.output, "output") as Tool["outputSchema"];
      if (this.options.listing) entry = this.options.listing(entry, tool);
      this.listings.set(tool, entry);
    }
    return entry;
  }

  /** The listed tools of a selection, in inventory order; with `access`, only those the caller may use. */
  list(selection: ToolSelection<C> = {}, access?: ToolAccess): Tool[] {
    return this.tools
      .filter((t) => (selection.visible?.(t) ?? true) && !access?.missingScope(resolveHints(t.hints)))
      .map((t) => this.listing(t));
  }

  /**
   * Answers `tools/list` and `tools/call` on a server instance (declaring the tools capability). `extra`
   * tools (a host's additions, see ServerExtensions) are listed after this registry's and get the bare call.
   */
  install(
    server: Server,
    selection: ToolSelection<C> = {},
    options: { listChanged?: boolean; extra?: readonly AnyTool<ToolCall>[] } = {},
  ): void {
    server.registerCapabilities({ tools: options.listChanged ? { listChanged: true } : {} });
    const extra = options.extra?.length
      ? new ToolRegistry<ToolCall>(options.extra, { context: (call) => call })
      : undefined;
    const listed = [...this.list(selection), ...(extra?.list() ?? [])];
    server.setRequestHandler("tools/list", (_request, ctx) => {
      // An authenticated HTTP caller (OAuth) sees only the tools its scopes allow; decided per request,
      // since a 2025-era session may go on with a token of other scopes.
      const access = toolAccessOf(ctx);
      if (!access) return { tools: listed };
      return { tools: [...this.list(selection, access), ...(extra?.list({}, access) ?? [])] };
    });
    server.setRequestHandler("tools/call", (request, ctx) => {
      const { name, arguments: args } = request.params;
      const declared = () => server.getClientCapabilities();
      if (extra && !this.byName.has(name) && extra.get(name))
        return extra.call(name, args, ctx, {}, declared);
      return this.call(name, args, ctx, selection, declared);
    });
  }

  private unknown(name: string): CallToolResult {
    const answer = this.options.unknownTool?.(name);
    if (answer) return answer;
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
  }

  /**
   * Runs one call: find, select, check the caller's scopes, validate, run, check the output. `declared`
   * gives the connection's `initialize` capabilities (2025-era); a 2026-07-28 request carries its own. A
   * caller with a ToolAccess (see access.ts) gets an audit entry for every call that reaches a known tool.
   */
  async call(
    name: string,
    args: Record<string, unknown> | undefined,
    request: SdkContext,
    selection: ToolSelection<C> = {},
    declared?: () => ClientCapabilities | undefined,
  ): Promise<ToolOutcome> {
    const tool = this.byName.get(name);
    if (!tool) return this.unknown(name);
    if (!(selection.visible?.(tool) ?? true)) {
      const refusal = selection.refusal?.(tool);
      if (refusal) return errorResult(refusal);
      return this.unknown(name);
    }
    const access = toolAccessOf(request);
    if (!access) return this.run(tool, args, request, selection, declared);
    const scope = access.missingScope(resolveHints(tool.hints));
    if (scope) {
      access.audit?.({ tool: name, ok: false, refused: "insufficient_scope" });
      return errorResult(
        `insufficient_scope: ${name} needs the OAuth scope "${scope}", which this access token does not carry. Ask the authorization server for a token with "${scope}" and call again.`,
        { error: "insufficient_scope", scope },
      );
    }
    try {
      const outcome = await this.run(tool, args, request, selection, declared, access);
      access.audit?.({ tool: name, ok: !("isError" in outcome && outcome.isError) });
      return outcome;
    } catch (err) {
      access.audit?.({ tool: name, ok: false });
      throw err;
    }
  }

  private async run(
    tool: AnyTool<C>,
    args: Record<string, unknown> | undefined,
    request: SdkContext,
    selection: ToolSelection<C>,
    declared: (() => ClientCapabilities | undefined) | undefined,
    access?: ToolAccess,
  ): Promise<ToolOutcome> {
    const name = tool.name;
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success) {
      return (
        this.options.invalidArguments?.(tool, parsed.error) ??
        errorResult(`Invalid arguments for ${name}: ${describeIssues(parsed.error)}`)
      );
    }
    const refused = selection.refuse?.(tool);
    if (refused) return errorResult(refused);
    const call = makeCall(name, request, declared, access);
    let outcome: ToolOutcome;
    try {
      outcome = await tool.handler(parsed.data, this.options.context(call));
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      if (!(err instanceof ToolError)) this.options.onUnexpected?.(err, tool);
      return this.options.failure?.(err, tool) ?? errorResult(errorMessage(err), (err as ToolError).data);
    }
    if (tool.output && "structuredContent" in outcome && outcome.structuredContent && !outcome.isError) {
      const checked = tool.output.safeParse(outcome.structuredContent);
      if (!checked.success) {
        const problem = `${name} produced a result that does not match its output schema: ${describeIssues(checked.error)}`;
        this.options.onUnexpected?.(new Error(problem), tool);
        return errorResult(`internal error: ${problem}`);
      }
    }
    return outcome;
  }
}

/** The capabilities a 2026-07-28 request declares in its `_meta` envelope (the SDK types it as `{}`). */
function envelopeCapabilities(request: SdkContext): ClientCapabilities | undefined {
  const envelope = request.mcpReq.envelope as Record<string, unknown> | undefined;
  return envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
}

function makeCall(
  name: string,
  request: SdkContext,
  declared: (() => ClientCapabilities | undefined) | undefined,
  access?: ToolAccess,
): ToolCall {
  const token = request.mcpReq._meta?.progressToken;
  return {
    name,
    caller: access && { subject: access.subject, clientId: access.clientId, scopes: access.scopes },
    signal: request.mcpReq.signal,
    wantsProgress: token !== undefined,
    async progress(progress, total, message) {
      if (token === undefined) return;
      await request.mcpReq
        .notify({
          method: "notifications/progress",
          params: { progressToken: token, progress, total, message },
        })
        .catch(() => {});
    },
    request,
    clientCapabilities: envelopeCapabilities(request) ?? declared?.(),
  };
}
