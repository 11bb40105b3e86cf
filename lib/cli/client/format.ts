import type { CallToolResult } from "@modelcontextprotocol/server";

const BOLD = (s: string, tty: boolean) => (tty ? `\u001b[1m${s}\u001b[22m` : s);

/** A tool result for people: text blocks as text, other blocks summarised, structured data as JSON. */
export function formatResult(result: CallToolResult, tty: boolean): string {
  const out: string[] = [];
  let hasText = false;
  for (const block of result.content ?? []) {
    if (block.type === "text") {
      out.push(block.text);
      hasText = true;
    } else if (block.type === "image" || block.type === "audio") {
      out.push(
        BOLD(`[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`, tty),
      );
    } else if (block.type === "resource") {
      const r = block.resource;
      out.push(
        BOLD(`[resource ${r.uri}]`, tty),
        "text" in r ? String(r.text) : `(${r.mimeType ?? "binary"})`,
      );
    } else if (block.type === "resource_link") {
      out.push(BOLD(`[link ${block.uri}]`, tty) + (block.description ? ` ${block.description}` : ""));
    }
  }
  if (!hasText && result.structuredContent) out.push(JSON.stringify(result.structuredContent, null, 2));
  const text = out.join("\n");
  return text.endsWith("\n") || !text ? text : `${text}\n`;
}

/** The one line that explains a failed call: the first line of its text. */
export function failureLine(result: CallToolResult): string {
  const text = (result.content ?? []).find((b) => b.type === "text")?.text ?? "the tool reported an error";
  return text
    .trim()
    .split("\n")[0]!
    .replace(/^MCP error -?\d+:\s*/, "");
}
