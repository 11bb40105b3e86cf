import * as z from "zod";
import type { TrueppmConfig } from "../config.ts";
import type { QueryParams, TrueppmHttpClient } from "../http-client.ts";
import { type Collected, collectPages } from "../paginate.ts";

/** What a tool handler gets: the process-wide GET client and a pager bound to it. */
export interface ToolContext {
  api: TrueppmHttpClient;
  config: TrueppmConfig;
  collect(path: string, params?: QueryParams): Promise<Collected>;
}

export function toolContext(api: TrueppmHttpClient, config: TrueppmConfig): ToolContext {
  return {
    api,
    config,
    collect: (path, params) => collectPages(api, path, params, (url) => config.isApiOrigin(url)),
  };
}

/** One read tool, as data: everything the registry needs to list it and call it. */
export interface ToolDef<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: Shape;
  output: z.ZodObject<z.ZodRawShape>;
  handler(args: z.output<z.ZodObject<Shape>>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** Keeps the handler's argument types tied to its input shape. */
export function defineTool<Shape extends z.ZodRawShape>(def: ToolDef<Shape>): ToolDef<Shape> {
  return def;
}

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
