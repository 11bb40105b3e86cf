import * as z from "zod";
import type { HintsSpec } from "../../../core/tools/annotations.ts";
import { SCOPES } from "../session-types.ts";

/** Parameters shared by many tools, defined once. */
export const sessionId = z.string().min(1).describe("Session id returned by pty_spawn");
export const owner = z
  .string()
  .nullish()
  .describe("Owner label the session was spawned with (required by default policy)");
export const clientId = z
  .string()
  .min(1)
  .nullish()
  .describe("Logical client id; needed by interactive tools while another client holds the session's lease");
export const scope = z.enum(SCOPES);

export const sessionRef = { session_id: sessionId, owner, client_id: clientId };

export const maxChars = z
  .number()
  .int()
  .min(1)
  .max(16 * 1024 * 1024)
  .nullish()
  .describe("Most bytes to return (default PTY_MCP_MAX_CHARS=8000); cuts fall on UTF-8 boundaries");
export const timeoutMs = (what: string) =>
  z.number().int().min(0).max(3_600_000).nullish().describe(`How long to wait in milliseconds (${what})`);
export const view = z
  .enum(["raw", "text", "screen"])
  .nullish()
  .describe("raw: bytes as written; text: ANSI removed, CR/backspace applied; screen: the rendered screen");
export const maxTokens = z
  .number()
  .int()
  .min(16)
  .max(1_000_000)
  .nullish()
  .describe("Token budget: keep head and tail, elide the middle with an 'N bytes omitted' note");
export const tailLinesParam = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .nullish()
  .describe("Keep only the last N lines (with an 'N bytes omitted' note)");
export const format = z
  .enum(["text", "json"])
  .nullish()
  .describe("text (default): raw output; json: an envelope");
export const streamParam = z.enum(["pty", "stdout", "stderr"]).nullish();

export const outputOptions = { view, max_tokens: maxTokens, tail_lines: tailLinesParam };

/** Output schemas are open objects: the fields listed are always there, more may follow. */
export const exitShape = {
  running: z.boolean(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  exit_reason: z.string().nullable(),
};
export const readOutput = z.looseObject({
  text: z.string(),
  stream: z.string(),
  chunk_id: z.number(),
  ...exitShape,
});
export const looseRecord = z.looseObject({});

/**
 * Hint sets of pty tools, on the core presets. Driving a terminal reaches whatever the program inside
 * reaches, so the tools that run or type commands are open-world and not idempotent.
 */
export const READ: HintsSpec = "read";
/** Reads that advance the caller's cursor: not read-only, but they destroy nothing. */
export const CONSUMING: HintsSpec = "write";
/** Runs, types into or ends programs. */
export const DESTRUCTIVE: HintsSpec = ["openDestructive", { idempotentHint: false }];
