import { z } from "zod";
import { isSafeSegment } from "./segments.ts";

/** Parameters and result shapes several tools share, defined once. */

const segment = (what: string, example: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .refine(isSafeSegment, {
      message: `${what} may use only letters, digits, "_", "." and "-" (not "." or "..")`,
    })
    .describe(`${what}, e.g. ${example}`);

export const promptId = segment("Prompt id (a dotted slug)", "team.summarizer");
export const runKey = segment("Run key", "run_8f2c1a");
export const optimizationId = segment("Optimization id", "opt_41b7");
export const groupId = segment("Group id", "grp_platform");
export const version = z.number().int().min(1).describe("Prompt version number (1, 2, …)");

/** `limit` on a list tool is how many rows to gather in all (across backend pages), capped by PTM_MCP_MAX_ROWS. */
export const paging = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe("Rows to return in all (default 100; capped by PTM_MCP_MAX_ROWS, default 500)"),
  offset: z.number().int().min(0).optional().describe("Rows to skip first (default 0)"),
};

export const row = z.looseObject({});

export const listResult = z.looseObject({
  items: z.array(row),
  total: z.number().optional().describe("Rows the backend has in all, when it says"),
  offset: z.number(),
  returned: z.number(),
  truncated: z.boolean().describe("True when more rows exist than were returned; continue at next_offset"),
  next_offset: z.number().optional(),
});

export const queued = (idField: "run_key" | "optimization_id") =>
  z.looseObject({ [idField]: z.string(), status: z.string() });

export const evalTest = z.looseObject({
  description: z.string().describe("What this test case checks"),
  vars: z.record(z.string(), z.unknown()).default({}).describe("Values for the prompt's {{variables}}"),
});

/** A test case as update_prompt accepts it: optional id and assertions besides description and vars. */
export const promptTest = z.looseObject({
  id: z.string().optional(),
  description: z.string(),
  vars: z.record(z.string(), z.unknown()).optional(),
  assert: z.array(z.looseObject({ type: z.string(), value: z.unknown().optional() })).optional(),
});

/** Partial-update field: omitted or null leaves it unchanged, [] clears it, a list replaces it. */
export const replaceableList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item)
    .nullable()
    .optional()
    .describe(`${what}: omit or null = unchanged, [] = clear, a list = replace`);
