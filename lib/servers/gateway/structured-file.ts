import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../../core/errors.ts";

/**
 * Reads a JSON or YAML file and validates it with a zod schema. Every failure is a ConfigError naming the
 * file, the line and the reason, so a typo in a policy or config file stops start-up with a pointer to it.
 */
export function readStructuredFile<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`${what} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return parseStructured(text, file, schema, what);
}

export function parseStructured<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  what: string,
): z.output<S> {
  const lines = new LineCounter();
  const isJson = /\.json$/i.test(file);
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ConfigError(
        `${what} ${file}:${jsonErrorLine(text, e)}: invalid JSON (${shortJsonReason(e)})`,
      );
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    throw new ConfigError(`${what} ${file}:${line}: ${first.message.split("\n")[0]}`);
  }
  const value = doc.toJS() ?? {};
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  let line = 1;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      line = lines.linePos(node.range[0]).line;
      break;
    }
  }
  const where = path.length ? path.join(".") : "(top level)";
  throw new ConfigError(`${what} ${file}:${line}: ${where}: ${issue.message}`);
}

function jsonErrorLine(text: string, e: unknown): number {
  const msg = e instanceof Error ? e.message : String(e);
  const lc = /line (\d+)/i.exec(msg);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/i.exec(msg);
  if (pos) return text.slice(0, Number(pos[1])).split("\n").length;
  // Runtimes that give no position: fall back on the YAML parser's view of the same text.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return doc.errors[0] ? lines.linePos(doc.errors[0].pos[0]).line : 1;
}

function shortJsonReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/ in JSON at position \d+.*$/, "")
    .slice(0, 120);
}
