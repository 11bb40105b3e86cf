import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import { errorMessage, McpkitError } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { redactor } from "../../core/redact.ts";
import { CloudflareAccessError } from "./errors.ts";
import type { PtmHttpClient } from "./http-client.ts";
import { collectPages } from "./paging.ts";
import { fillPath, UnsafeSegmentError } from "./segments.ts";
import { annotationsFor, isWriteTool, type ToolSpec } from "./tool-inventory.ts";

export interface ToolDeps {
  client: PtmHttpClient;
  readOnly: boolean;
  maxRows: number;
  log: Logger;
}

export const DEFAULT_LIST_ROWS = 100;

/** The refusal a write tool gets in read-only mode; nothing has been sent at this point. */
export function readOnlyRefusal(tool: string): string {
  return `${tool} is a write tool and mcpkit ptm is in read-only mode (PTM_MCP_READ_ONLY is true), so nothing was sent to PTM. To allow writes, set PTM_MCP_READ_ONLY=false in this server's environment and restart it.`;
}

function failure(tool: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: redactor.redact(`${tool}: ${message}`) }] };
}

function success(data: Record<string, unknown>): CallToolResult {
  const clean = redactor.redactValue(data);
  return { content: [{ type: "text", text: JSON.stringify(clean, null, 2) }], structuredContent: clean };
}

/** Names of `{placeholders}` in a path template. */
function pathParams(template: string): Set<string> {
  return new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
}

/** Splits arguments into the path, the query or body fields, renamed for the wire. */
function requestParts(spec: ToolSpec, args: Record<string, unknown>) {
  const inPath = pathParams(spec.path);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (inPath.has(k) || v === undefined) continue;
    if (v === null && spec.nullMeansUnchanged) continue;
    rest[spec.rename?.[k] ?? k] = v;
  }
  return { path: fillPath(spec.path, args), rest };
}

/** Runs one tool call: the read-only gate first, then one REST call (or a page walk) and its shaping. */
export async function runTool(
  spec: ToolSpec,
  args: Record<string, unknown>,
  deps: ToolDeps,
  signal?: AbortSignal,
  onPage?: (gathered: number, want: number) => Promise<void>,
): Promise<CallToolResult> {
  if (deps.readOnly && isWriteTool(spec)) return failure(spec.name, readOnlyRefusal(spec.name));
  try {
    const { path, rest } = requestParts(spec, args);
    const write = isWriteTool(spec);
    const sendsBody = spec.method === "POST" || spec.method === "PUT" || spec.method === "PATCH";
    if (spec.paged) {
      const { limit, offset, ...filters } = rest as { limit?: number; offset?: number };
      const want = Math.min(limit ?? DEFAULT_LIST_ROWS, deps.maxRows);
      const walk = await collectPages(deps.client, path, filters, {
        want,
        offset: offset ?? 0,
        signal,
        onPage,
      });
      return success({ ...walk });
    }
    const format = typeof args.format === "string" ? args.format : undefined;
    const asText = format !== undefined && (spec.textFormats ?? []).includes(format);
    const res = await deps.client.request({
      method: spec.method,
      path,
      query: sendsBody ? undefined : rest,
      body: sendsBody ? rest : undefined,
      write,
      expect: asText ? "text" : "json",
      signal,
    });
    if (asText)
      return success({
        ...args,
        format: format!,
        content_type: res.headers.get("content-type")?.split(";")[0] ?? "text/plain",
        content: res.text,
      });
    if (res.status === 204 || res.json === undefined) return success({ ok: true, ...args });
    if (typeof res.json !== "object" || res.json === null || Array.isArray(res.json))
      return success({ result: res.json });
    return success(res.json as Record<string, unknown>);
  } catch (err) {
    if (err instanceof CloudflareAccessError)
      return failure(spec.name, `CloudflareAccessError: ${err.message}`);
    if (err instanceof UnsafeSegmentError || err instanceof McpkitError)
      return failure(spec.name, err.message);
    deps.log.error(`${spec.name} failed unexpectedly`, { error: errorMessage(err) });
    return failure(spec.name, `unexpected error: ${errorMessage(err)}`);
  }
}

/** Registers the given inventory rows on one McpServer. */
export function registerTools(server: McpServer, specs: readonly ToolSpec[], deps: ToolDeps): void {
  for (const spec of specs) {
    const description =
      deps.readOnly && isWriteTool(spec)
        ? `${spec.description} (Refused while PTM_MCP_READ_ONLY is true.)`
        : spec.description;
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description,
        inputSchema: spec.input,
        outputSchema: spec.output,
        annotations: annotationsFor(spec),
      },
      (args: Record<string, unknown>, ctx) => {
        const token = ctx.mcpReq._meta?.progressToken;
        // Page walks report progress when the client asked for it with a progress token.
        const onPage =
          token === undefined
            ? undefined
            : (progress: number, total: number) =>
                ctx.mcpReq
                  .notify({
                    method: "notifications/progress",
                    params: { progressToken: token, progress, total },
                  })
                  .catch(() => {});
        return runTool(spec, args, deps, ctx.mcpReq.signal, onPage);
      },
    );
  }
}
