import type { CallToolResult } from "@modelcontextprotocol/server";
import { jsonBytes, truncateJson } from "./truncate-json.ts";
import type { EngineOutcome, ExecutionLimits, TraceEntry } from "./types.ts";

export const SUCCESS_HEADER = "[Script executed successfully]";
export const FAILURE_HEADER = "[Script execution failed]";
export const NO_OUTPUT = "(no output)";
export const TRUNCATED_MARKER = "\n... (truncated)";
const MAX_LISTED_FAILURES = 5;
/** The result section never gets less than this, even when the output used the whole budget. */
const MIN_RESULT_BYTES = 4096;

/** structuredContent of execute_program, on every run. */
export interface ProgramReport {
  [key: string]: unknown;
  ok: boolean;
  output: string;
  result: unknown;
  error: string | null;
  /** What stopped the run: syntax, runtime, timeout, memory, stack, cancelled, engine, unavailable. */
  error_kind: string | null;
  output_truncated: boolean;
  result_truncated: boolean;
  tool_calls: TraceEntry[];
  duration_ms: number;
}

/** `[tool calls: 12, 1 failed; 2.3s]` plus up to five failures, as PTC-MCP v0.2 prints it. */
export function traceSummary(trace: TraceEntry[], seconds: number): string {
  const failed = trace.filter((t) => !t.ok);
  let line = `[tool calls: ${trace.length}${failed.length ? `, ${failed.length} failed` : ""}; ${seconds.toFixed(1)}s]`;
  for (const f of failed.slice(0, MAX_LISTED_FAILURES))
    line += `\n  failed: ${f.tool}: ${f.error ?? "error"}`;
  if (failed.length > MAX_LISTED_FAILURES)
    line += `\n  ... ${failed.length - MAX_LISTED_FAILURES} more failures`;
  return line;
}

/**
 * Builds the execute_program result: PTC-MCP's text (status line, output or `(no output)`, the truncation
 * marker, `--- result ---`, `--- output before the error ---`, the trace line), `isError` on failure, and
 * structuredContent with the same facts as data. The result is cut structurally, so it stays valid JSON.
 */
export function formatRun(
  outcome: EngineOutcome,
  trace: TraceEntry[],
  limits: Pick<ExecutionLimits, "maxOutputBytes" | "trace">,
  durationMs: number,
): CallToolResult & { structuredContent: ProgramReport } {
  const output = outcome.output;
  const hasOutput = output.trim().length > 0;
  const shownOutput = hasOutput ? output.replace(/\n$/, "") : "";
  const marker = outcome.outputTruncated ? TRUNCATED_MARKER : "";

  let result: unknown = null;
  let resultTruncated = false;
  if (outcome.hasResult) {
    const budget = Math.max(MIN_RESULT_BYTES, limits.maxOutputBytes - Buffer.byteLength(output, "utf8"));
    const cut = truncateJson(outcome.result ?? null, budget);
    result = cut.value;
    resultTruncated = cut.truncated;
  }

  let text: string;
  if (outcome.ok) {
    text = `${SUCCESS_HEADER}\n${hasOutput ? shownOutput : NO_OUTPUT}${marker}`;
    if (outcome.hasResult) text += `\n--- result ---\n${JSON.stringify(result)}`;
  } else {
    text = `${FAILURE_HEADER}\n${outcome.error ?? "Error"}`;
    if (hasOutput) text += `\n\n--- output before the error ---\n${shownOutput}${marker}`;
  }
  if (limits.trace === "summary" && trace.length > 0) text += `\n${traceSummary(trace, durationMs / 1000)}`;

  const report: ProgramReport = {
    ok: outcome.ok,
    output,
    result,
    error: outcome.ok ? null : (outcome.error ?? "Error"),
    error_kind: outcome.ok ? null : (outcome.errorKind ?? "runtime"),
    output_truncated: outcome.outputTruncated,
    result_truncated: resultTruncated,
    tool_calls: trace,
    duration_ms: Math.round(durationMs),
  };
  return {
    content: [{ type: "text", text }],
    structuredContent: report,
    ...(outcome.ok ? {} : { isError: true }),
  };
}

export { jsonBytes };
