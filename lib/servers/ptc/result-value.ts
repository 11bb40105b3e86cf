import type { CallToolResult } from "@modelcontextprotocol/server";

/** What a downstream result becomes inside a script. */
export type ResultValue = { isError: false; value: unknown } | { isError: true; message: string };

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trim();
  if (!t) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch {
    return { ok: false };
  }
}

function describeNonText(item: Record<string, unknown>): string {
  const type = String(item.type ?? "unknown");
  const mime = typeof item.mimeType === "string" ? item.mimeType : undefined;
  const resource = item.resource as { uri?: string; mimeType?: string } | undefined;
  const uri = typeof item.uri === "string" ? item.uri : resource?.uri;
  const detail = mime ?? resource?.mimeType ?? uri;
  return `[non-text content omitted: ${type}${detail ? ` (${detail})` : ""}]`;
}

function withNotes(value: unknown, notes: string[]): unknown {
  if (!notes.length) return value;
  if (value && typeof value === "object" && !Array.isArray(value)) return { ...value, _notes: notes };
  return { data: value, _notes: notes };
}

/**
 * Turns a downstream CallToolResult into the value a script sees, the way PTC-MCP v0.2 does:
 * `isError` → an error; `structuredContent` preferred (FastMCP's `{result: x}` wrapper unwrapped when the
 * output schema says it wraps); otherwise text parsed as JSON when it is JSON. Text that is not the value
 * is kept under `_notes`; non-text content is noted, not dropped silently.
 */
export function resultValue(result: CallToolResult, outputSchema?: Record<string, unknown>): ResultValue {
  const content = (result.content ?? []) as Array<Record<string, unknown>>;
  const texts = content.filter((c) => c.type === "text").map((c) => String(c.text ?? ""));
  const others = content.filter((c) => c.type !== "text").map(describeNonText);

  if (result.isError) {
    const message = [...texts, ...others].join("\n").trim() || "the tool reported an error without a message";
    return { isError: true, message };
  }

  const structured = result.structuredContent;
  if (structured && typeof structured === "object") {
    let value: unknown = structured;
    const wraps = outputSchema?.["x-fastmcp-wrap-result"] === true;
    if (wraps && Object.keys(structured).length === 1 && "result" in structured) {
      value = structured.result;
      if (typeof value === "string") {
        const parsed = tryJson(value);
        if (parsed.ok) value = parsed.value;
      }
    }
    const notes = [...texts.filter((t) => t.trim() && !tryJson(t).ok), ...others];
    return { isError: false, value: withNotes(value, notes) };
  }

  if (texts.length === 0) return { isError: false, value: others.length ? withNotes(null, others) : null };
  if (texts.length === 1) {
    const parsed = tryJson(texts[0]!);
    return { isError: false, value: withNotes(parsed.ok ? parsed.value : texts[0], others) };
  }
  const parsed = texts.map(tryJson);
  const jsonIdx = parsed.flatMap((p, i) => (p.ok ? [i] : []));
  if (jsonIdx.length === 1) {
    const i = jsonIdx[0]!;
    const notes = [...texts.filter((_, j) => j !== i), ...others];
    return { isError: false, value: withNotes((parsed[i] as { value: unknown }).value, notes) };
  }
  return { isError: false, value: withNotes(texts.join("\n"), others) };
}
