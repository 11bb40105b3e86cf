import type { z } from "zod";
import type { ToolHints } from "../tools/annotations.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One REST-backed tool as data: what it is called, which request it makes, what it accepts and returns,
 * and whether it changes anything. `restTool` turns a row into a tool definition; everything specific to
 * one backend (how to send, how to page, how results and failures read) comes from the server's options.
 */
export interface RestToolRow<I extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** `read` changes nothing (readOnlyHint); `write` changes the backend. */
  kind: "read" | "write";
  method: HttpMethod;
  /** Path under the backend's base; `{arg}` placeholders are filled from the arguments of that name. */
  path: string;
  /** Strict zod object; every placeholder of `path` must be one of its keys. */
  input: I;
  /** Shape of `structuredContent`. */
  output: z.ZodObject;
  /** Write rows: deletes or stops something that cannot simply be re-created. */
  destructive?: boolean;
  /** Write rows: the same call twice has the effect of one. Reads are always idempotent. */
  idempotent?: boolean;
  /** Reaches past the backend (e.g. starts LLM calls at outside providers); the server's default otherwise. */
  openWorld?: boolean;
  /** A collection: the server's paging strategy walks it. */
  paged?: boolean;
  /** Argument names that differ on the wire (`from_version` → `from`). */
  rename?: Readonly<Record<string, string>>;
  /** Builds the query or body fields itself (aliases, derived values) instead of passing the arguments on. */
  fields?(args: z.output<I>): Record<string, unknown>;
  /** Values of a `format` argument for which the backend answers with text (markdown, HTML), not JSON. */
  textFormats?: readonly string[];
  /** Partial updates: a `null` argument means "leave unchanged", so it is not sent. */
  nullMeansUnchanged?: boolean;
  /** Shapes one row of a paged collection (default: the server's paging strategy decides). */
  item?(row: unknown): unknown;
  /** Shapes a JSON answer into the structured result (default: the server's shaping, else the body). */
  shape?(body: unknown, args: z.output<I>): Record<string, unknown>;
  /** `--toolsets` group. */
  toolset?: string;
  tier?: string;
}

/** The `{name}` placeholders of a path template, in order. */
export function pathParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/**
 * The four hints, all from the row: reads are read-only, idempotent and never destructive; writes are
 * destructive or idempotent only when the row says so; `openWorld` falls back to the server's default.
 */
export function restHints(row: RestToolRow, openWorldDefault = false): ToolHints {
  const read = row.kind === "read";
  return {
    readOnlyHint: read,
    destructiveHint: !read && row.destructive === true,
    idempotentHint: read || row.idempotent === true,
    openWorldHint: row.openWorld ?? openWorldDefault,
  };
}
