import type { CallToolResult } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { structuredResult, type ToolCall, type ToolDefinition, ToolError } from "../tools/define-tool.ts";
import { type HttpMethod, pathParams, type RestToolRow, restHints } from "./rest-row.ts";

/** One request a row makes, ready for the server's HTTP client. */
export interface RestRequest {
  tool: string;
  method: HttpMethod;
  /** `path` with its placeholders filled (and encoded). */
  path: string;
  /** GET and DELETE: the fields as query parameters. */
  query?: Record<string, unknown>;
  /** POST, PUT and PATCH: the fields as the JSON body (`{}` when there are none). */
  body?: Record<string, unknown>;
  /** The row is a write (a client may add an Idempotency-Key, a read-only gate may refuse it). */
  write: boolean;
  /** "text" when the call asked for one of the row's `textFormats`. */
  expect: "json" | "text";
  signal: AbortSignal;
}

export interface RestResponse {
  status: number;
  /** The parsed body when JSON was expected and sent. */
  json?: unknown;
  /** The raw body, for text answers. */
  text?: string;
  /** Media type without parameters. */
  contentType?: string;
}

/** A paged row's walk, handed to the server's paging strategy. */
export interface RestPageRequest {
  tool: string;
  path: string;
  /** The call's fields (filters, and the paging arguments the row declares, e.g. limit and offset). */
  query: Record<string, unknown>;
  /** The row's own shaping of one collection row, if it has one. */
  item?: (row: unknown) => unknown;
  call: ToolCall;
}

/** What a REST tool needs from the server's per-call context: the call (signal, progress). */
export interface RestToolContext {
  call: ToolCall;
}

/** Everything backend-specific, given once per server. */
export interface RestToolOptions<C extends RestToolContext> {
  /** Sends one request; throws the server's own errors (its registry's `failure` turns them into results). */
  send(request: RestRequest, ctx: C): Promise<RestResponse>;
  /** Walks a paged row's collection and returns the structured result. Required when a row is paged. */
  page?(request: RestPageRequest, ctx: C): Promise<Record<string, unknown>>;
  /** Fills a path template (default: each value URL-encoded; missing values, "." and ".." refused). */
  fillPath?(template: string, args: Record<string, unknown>): string;
  /** The server's shaping of a JSON answer, for rows without their own (default: `shapeBody`). */
  shape?(body: unknown, args: Record<string, unknown>, response: RestResponse): Record<string, unknown>;
  /** Turns structured data into the tool result (redaction, text layout); default `structuredResult`. */
  present?(data: Record<string, unknown>, ctx: C): CallToolResult;
  /** `openWorldHint` for rows that do not say (default false). */
  openWorld?: boolean;
}

const SENDS_BODY: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The default path filling: every placeholder a string or number, URL-encoded, never a dot segment. */
export function encodePath(template: string, args: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const raw = args[name];
    if (typeof raw !== "string" && typeof raw !== "number")
      throw new ToolError(`${name} is required: it is part of the request path`);
    const value = String(raw);
    if (value === "" || value === "." || value === "..")
      throw new ToolError(`${name} must not be empty, "." or "..": nothing was sent`);
    return encodeURIComponent(value);
  });
}

/**
 * The default shaping of a JSON answer: an object is the result; no body (204) is `{ok: true}` plus the
 * arguments, so a write still says what it acted on; any other JSON value comes as `{result}`.
 */
export function shapeBody(
  body: unknown,
  args: Record<string, unknown>,
  response?: RestResponse,
): Record<string, unknown> {
  if (response?.status === 204 || body === undefined) return { ok: true, ...args };
  return isRecord(body) ? body : { result: body };
}

/** The arguments that are not in the path, as they go on the wire. */
function wireFields(row: RestToolRow, args: Record<string, unknown>, inPath: ReadonlySet<string>) {
  const fields: Record<string, unknown> = {};
  if (row.fields) {
    for (const [k, v] of Object.entries(row.fields(args))) if (v !== undefined) fields[k] = v;
    return fields;
  }
  for (const [k, v] of Object.entries(args)) {
    if (inPath.has(k) || v === undefined) continue;
    if (v === null && row.nullMeansUnchanged) continue;
    fields[row.rename?.[k] ?? k] = v;
  }
  return fields;
}

/**
 * Turns one row into a tool definition: hints from its read/write class, the request built from its
 * method, path template and arguments, the answer paged, shaped and presented by the server's options.
 * Rows are checked here, at start-up: a placeholder that is not an argument, or a paged row on a server
 * without a paging strategy, is a programming error.
 */
export function restTool<I extends z.ZodObject, C extends RestToolContext>(
  row: RestToolRow<I>,
  options: RestToolOptions<C>,
): ToolDefinition<I, C> {
  const placeholders = pathParams(row.path);
  const keys = new Set(Object.keys(row.input.shape));
  const missing = placeholders.filter((p) => !keys.has(p));
  if (missing.length)
    throw new Error(`${row.name}: path placeholders without an argument: ${missing.join(", ")}`);
  if (row.paged && !options.page)
    throw new Error(`${row.name} is paged, but the server has no paging strategy`);
  const inPath = new Set(placeholders);
  const fill = options.fillPath ?? encodePath;
  const present = options.present ?? ((data: Record<string, unknown>) => structuredResult(data));
  const generic = row as unknown as RestToolRow;

  return {
    name: row.name,
    title: row.title,
    description: row.description,
    input: row.input,
    output: row.output,
    hints: restHints(generic, options.openWorld),
    ...(row.toolset ? { toolset: row.toolset } : {}),
    ...(row.tier ? { tier: row.tier } : {}),
    async handler(parsed, ctx) {
      const args = parsed as Record<string, unknown>;
      const path = fill(row.path, args);
      const fields = wireFields(generic, args, inPath);
      if (row.paged) {
        const data = await options.page!(
          { tool: row.name, path, query: fields, item: row.item, call: ctx.call },
          ctx,
        );
        return present(data, ctx);
      }
      const format = typeof args.format === "string" ? args.format : undefined;
      const asText = format !== undefined && (row.textFormats ?? []).includes(format);
      const sendsBody = SENDS_BODY.has(row.method);
      const response = await options.send(
        {
          tool: row.name,
          method: row.method,
          path,
          ...(sendsBody ? { body: fields } : { query: fields }),
          write: row.kind === "write",
          expect: asText ? "text" : "json",
          signal: ctx.call.signal,
        },
        ctx,
      );
      if (asText) {
        return present(
          {
            ...args,
            format,
            content_type: response.contentType ?? "text/plain",
            content: response.text ?? "",
          },
          ctx,
        );
      }
      const data = row.shape
        ? row.shape(response.json, parsed)
        : options.shape
          ? options.shape(response.json, args, response)
          : shapeBody(response.json, args, response);
      return present(data, ctx);
    },
  };
}

/** `restTool` over a table of rows, in table order. */
export function restTools<C extends RestToolContext>(
  rows: readonly RestToolRow<any>[],
  options: RestToolOptions<C>,
): ToolDefinition<any, C>[] {
  return rows.map((row) => restTool(row, options));
}
