import type { CallToolResult } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { RestToolRow } from "../../../core/rest-tools/rest-row.ts";
import { type RestToolOptions, restTool } from "../../../core/rest-tools/rest-tool.ts";
import { defineTool, type ToolCall, type ToolDefinition } from "../../../core/tools/define-tool.ts";
import type { TrueppmConfig } from "../config.ts";
import type { QueryParams, TrueppmHttpClient } from "../http-client.ts";
import { type Collected, collectPages } from "../paginate.ts";
import { compact, compactObject, listEnvelope } from "../shaping.ts";

/** What a tool handler gets: the call, the process-wide GET client, a pager bound to it, and the result maker. */
export interface TrueppmToolContext {
  call: ToolCall;
  api: TrueppmHttpClient;
  config: TrueppmConfig;
  collect(path: string, params?: QueryParams): Promise<Collected>;
  /** The structured result, as JSON text with the token scrubbed (a last line of defence). */
  present(data: Record<string, unknown>): CallToolResult;
}

export function toolContext(
  call: ToolCall,
  api: TrueppmHttpClient,
  config: TrueppmConfig,
): TrueppmToolContext {
  return {
    call,
    api,
    config,
    collect: (path, params) => collectPages(api, path, params, (url) => config.isApiOrigin(url)),
    present(data) {
      const text = config.scrub(JSON.stringify(data));
      return { content: [{ type: "text", text }], structuredContent: JSON.parse(text) };
    },
  };
}

export type TrueppmTool = ToolDefinition<any, TrueppmToolContext>;

/** A tool that does more than one GET (or checks its arguments first): a plain definition. */
export const tool = defineTool<TrueppmToolContext>();

/**
 * How TruePPM rows reach the API: GET only through the one client, DRF `next` paging into
 * `{items, total_count, truncated?}` with compacted rows, compacted objects, and every tool open-world
 * (the API is another system).
 */
const TRUEPPM_REST: RestToolOptions<TrueppmToolContext> = {
  async send({ method, path, query }, { api }) {
    if (method !== "GET") throw new Error(`trueppm sends GET only, not ${method}`);
    return { status: 200, json: await api.get(path, query as QueryParams) };
  },
  async page({ path, query, item }, { collect }) {
    return listEnvelope(await collect(path, query as QueryParams), item ?? compact);
  },
  shape: (body) => compactObject(body),
  present: (data, ctx) => ctx.present(data),
  openWorld: true,
};

/** A read-only GET row, as data, turned into a tool by the shared REST-tool factory. */
export function getTool<I extends z.ZodObject>(
  row: Omit<RestToolRow<I>, "kind" | "method">,
): ToolDefinition<I, TrueppmToolContext> {
  return restTool<I, TrueppmToolContext>({ ...row, kind: "read", method: "GET" }, TRUEPPM_REST);
}

/** A strict input object: unknown arguments are refused. */
export const input = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict();

/**
 * A TruePPM id (UUIDs in practice). Restricted to characters that cannot change the request path, so
 * `../` and `/` can never steer a GET to another endpoint.
 */
export const resourceId = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, `${what} must be an id such as a UUID`)
    .describe(`The ${what} (a UUID, as the list tools return it).`);

export const projectId = resourceId("project id");

/** Builds a path from fixed segments and ids, each id URL-encoded. */
export const path = (...segments: string[]) => `${segments.map(encodeURIComponent).join("/")}/`;

const why = z
  .object({
    explanation: z.string(),
    top_driver: z.object({ task_id: z.string(), index: z.number().optional() }).optional(),
    see_also: z.string().optional(),
  })
  .describe("An explanation built only from the fetched figures; absent when they are missing.");

/** Output of the list tools. */
export const listOutput = z.looseObject({
  items: z.array(z.unknown()).describe("Compacted rows."),
  total_count: z.number().int().describe("Rows the API reports in total."),
  truncated: z.literal(true).optional().describe("Present when only part of the collection is returned."),
});

/** Output of the single-object tools: the compacted API object, open-ended. */
export const objectOutput = z.looseObject({});

export const objectWithWhyOutput = z.looseObject({ why: why.optional() });
