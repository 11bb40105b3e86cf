import type { CallToolResult } from "@modelcontextprotocol/server";
import { errorMessage, McpkitError } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import { redactor } from "../../core/redact.ts";
import { type RestToolOptions, restTools } from "../../core/rest-tools/rest-tool.ts";
import { resolveHints } from "../../core/tools/annotations.ts";
import { errorResult, type ToolCall, ToolError } from "../../core/tools/define-tool.ts";
import { type AnyTool, ToolRegistry, type ToolSelection } from "../../core/tools/tool-registry.ts";
import { CloudflareAccessError } from "./errors.ts";
import type { PtmHttpClient } from "./http-client.ts";
import { collectPages } from "./paging.ts";
import { fillPath, UnsafeSegmentError } from "./segments.ts";
import type { ToolSpec } from "./tool-inventory.ts";

/** What every ptm tool call gets: the call itself and the process-wide backend client. */
export interface PtmToolContext {
  call: ToolCall;
  client: PtmHttpClient;
  maxRows: number;
}

export type PtmTool = AnyTool<PtmToolContext>;

export const DEFAULT_LIST_ROWS = 100;

/** The refusal a write tool gets in read-only mode; nothing has been sent at this point. */
export function readOnlyRefusal(tool: string): string {
  return `${tool} is a write tool and mcpkit ptm is in read-only mode (PTM_MCP_READ_ONLY is true), so nothing was sent to PTM. To allow writes, set PTM_MCP_READ_ONLY=false in this server's environment and restart it.`;
}

/** Tools that change something: exactly those without `readOnlyHint`. */
export function isWriteTool(tool: PtmTool): boolean {
  return !resolveHints(tool.hints).readOnlyHint;
}

/** Results carry no secret, even if the backend echoed one; the text is the indented JSON. */
function present(data: Record<string, unknown>): CallToolResult {
  const clean = redactor.redactValue(data);
  return { content: [{ type: "text", text: JSON.stringify(clean, null, 2) }], structuredContent: clean };
}

/** How ptm rows reach the backend: the one HTTP client, offset paging up to the row cap, redaction. */
const PTM_REST: RestToolOptions<PtmToolContext> = {
  async send(req, { client }) {
    const res = await client.request({
      method: req.method,
      path: req.path,
      query: req.query,
      body: req.body,
      write: req.write,
      expect: req.expect,
      signal: req.signal,
    });
    return {
      status: res.status,
      json: res.json,
      text: res.text,
      contentType: res.headers.get("content-type")?.split(";")[0],
    };
  },
  async page({ path, query, call }, { client, maxRows }) {
    const { limit, offset, ...filters } = query as { limit?: number; offset?: number };
    const want = Math.min(limit ?? DEFAULT_LIST_ROWS, maxRows);
    const walk = await collectPages(client, path, filters, {
      want,
      offset: offset ?? 0,
      signal: call.signal,
      // Page walks report progress when the client asked for it with a progress token.
      onPage: (gathered, total) => call.progress(gathered, total),
    });
    return { ...walk };
  },
  fillPath,
  present,
};

/** The inventory rows as tool definitions; in read-only mode, write tools say in their description that they are refused. */
export function ptmTools(rows: readonly ToolSpec[], readOnly: boolean): PtmTool[] {
  return restTools(rows, PTM_REST).map((tool) =>
    readOnly && isWriteTool(tool)
      ? { ...tool, description: `${tool.description} (Refused while PTM_MCP_READ_ONLY is true.)` }
      : tool,
  );
}

/** Errors ptm expects (backend answers, Cloudflare Access, unsafe ids); anything else is logged. */
function expected(err: unknown): boolean {
  return err instanceof McpkitError || err instanceof UnsafeSegmentError || err instanceof ToolError;
}

/** The one registry of a ptm process: failures read `<tool>: <what to do>`, redacted. */
export function ptmRegistry(
  tools: readonly PtmTool[],
  deps: { client: PtmHttpClient; maxRows: number; log: Logger },
): ToolRegistry<PtmToolContext> {
  return new ToolRegistry<PtmToolContext>(tools, {
    context: (call) => ({ call, client: deps.client, maxRows: deps.maxRows }),
    failure(err, tool) {
      const message =
        err instanceof CloudflareAccessError
          ? `CloudflareAccessError: ${err.message}`
          : expected(err)
            ? errorMessage(err)
            : `unexpected error: ${errorMessage(err)}`;
      return errorResult(redactor.redact(`${tool.name}: ${message}`));
    },
    onUnexpected(err, tool) {
      if (!expected(err)) deps.log.error(`${tool.name} failed unexpectedly`, { error: errorMessage(err) });
    },
  });
}

/**
 * Which tools this process offers: `--tools`/`--exclude-tools` decide what is listed (others are unknown
 * tools); read-only mode keeps write tools listed but refuses their calls once the arguments validate.
 */
export function ptmSelection(
  selected: ReadonlySet<string>,
  readOnly: boolean,
): ToolSelection<PtmToolContext> {
  return {
    visible: (tool) => selected.has(tool.name),
    refuse: (tool) =>
      readOnly && isWriteTool(tool) ? `${tool.name}: ${readOnlyRefusal(tool.name)}` : undefined,
  };
}
