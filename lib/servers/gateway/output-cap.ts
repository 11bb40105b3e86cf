// gpt-tokenizer's tables are ~2.7 MB of JavaScript: load them on the first capped result, not at
// start-up (the gateway's cold start would otherwise pay for parsing them).
let tokenizer: Promise<typeof import("gpt-tokenizer")> | undefined;
const loadTokenizer = () => {
  tokenizer ??= import("gpt-tokenizer");
  return tokenizer;
};

export interface OutputLimits {
  maxBytes: number;
  maxTokens: number;
}

type Block = Record<string, unknown> & { type: string };

export interface CappedOutput {
  content: Block[];
  structured?: unknown;
  truncated: boolean;
  /** Size of the downstream output before capping (text and binary payload bytes). */
  rawBytes: number;
}

const enc = new TextEncoder();

/** Rough size of a result's payload: text lengths plus the structured copy, before redaction. */
function approxBytes(result: { content?: unknown[]; structuredContent?: unknown }): number {
  let n = 0;
  for (const b of (result.content ?? []) as Array<Record<string, unknown>>) {
    if (typeof b?.text === "string") n += b.text.length * 3;
    const r = b?.resource as Record<string, unknown> | undefined;
    if (typeof r?.text === "string") n += r.text.length * 3;
  }
  if (result.structuredContent !== undefined) n += JSON.stringify(result.structuredContent).length * 3;
  return n;
}
// Counting without encoding: no copy per block on the invoke hot path.
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function cutBytes(text: string, max: number): string {
  if (max <= 0) return "";
  const b = enc.encode(text);
  if (b.length <= max) return text;
  return new TextDecoder().decode(b.subarray(0, max)).replace(/\uFFFD+$/, "");
}

function marker(from: number, to: number): string {
  return `\n[... output truncated: ${from} bytes -> ${to} bytes; narrow the request or set options.max_output_chars ...]`;
}

/**
 * Redacts, then caps a downstream tool result: text is cut at the byte budget and then at the token budget
 * (counted with gpt-tokenizer), binary blocks that do not fit are replaced by a note, and a structured
 * result that does not fit is dropped. The budget is shared across all blocks, in order.
 */
export async function capOutput(
  result: { content?: unknown[]; structuredContent?: unknown },
  limits: OutputLimits,
  redact: (s: string) => string,
  redactValue: <T>(v: T) => T,
): Promise<CappedOutput> {
  // Most results are far below the token cap: the tokenizer (and its 2.7 MB of tables) is loaded only
  // when the output could come near it. Redaction can lengthen text a little, hence the margin; if it
  // ever does more, the byte fallback below still keeps the result under the cap.
  const tk = approxBytes(result) * 2 + 1000 > limits.maxTokens ? await loadTokenizer() : undefined;
  let budget = limits.maxBytes;
  let tokens = limits.maxTokens;
  let truncated = false;
  let rawBytes = 0;
  const content: Block[] = [];

  let uncounted: string[] = [];
  let uncountedBytes = 0;
  const settleTokens = () => {
    for (const t of uncounted) tokens -= Math.min(tokens, tk ? tk.encode(t).length : bytes(t));
    uncounted = [];
    uncountedBytes = 0;
  };

  const takeText = (text: string): string => {
    const clean = redact(text);
    const size = bytes(clean);
    rawBytes += size;
    let out = clean;
    if (size > budget) {
      out = cutBytes(clean, Math.max(0, budget - 120));
      truncated = true;
    }
    let outBytes = out === clean ? size : bytes(out);
    if (uncountedBytes + outBytes <= tokens) {
      // A token is at least one byte, so texts that fit in the remaining tokens as bytes cannot exceed
      // it: count them only if a later block needs the exact remainder.
      uncounted.push(out);
      uncountedBytes += outBytes;
    } else {
      settleTokens();
      if (tk) {
        const ids = tk.encode(out);
        if (ids.length > tokens) {
          out = tk.decode(ids.slice(0, Math.max(0, tokens - 30)));
          outBytes = bytes(out);
          truncated = true;
        }
        tokens -= Math.min(tokens, ids.length);
      } else {
        // No tokenizer loaded: a token is at least a byte, so cutting to the remaining tokens in bytes
        // can only undershoot the cap.
        if (outBytes > tokens) {
          out = cutBytes(out, Math.max(0, tokens - 30));
          outBytes = bytes(out);
          truncated = true;
        }
        tokens -= Math.min(tokens, outBytes);
      }
    }
    budget -= outBytes;
    if (out.length < clean.length) out += marker(size, outBytes);
    return out;
  };

  for (const raw of (result.content ?? []) as Block[]) {
    if (!raw || typeof raw !== "object") continue;
    if (raw.type === "text" && typeof raw.text === "string") {
      if (budget <= 0 || tokens <= 0) {
        rawBytes += bytes(raw.text);
        truncated = true;
        continue;
      }
      content.push({ ...raw, text: takeText(raw.text) });
    } else if ((raw.type === "image" || raw.type === "audio") && typeof raw.data === "string") {
      const size = Math.floor((raw.data.length * 3) / 4);
      rawBytes += size;
      if (size > budget) {
        truncated = true;
        content.push({ type: "text", text: `[${raw.type} omitted: ${size} bytes exceeds the output cap]` });
      } else {
        budget -= size;
        content.push(raw);
      }
    } else if (raw.type === "resource" && raw.resource && typeof raw.resource === "object") {
      const res = raw.resource as Record<string, unknown>;
      if (typeof res.text === "string")
        content.push({ ...raw, resource: { ...res, text: takeText(res.text) } });
      else {
        const size = typeof res.blob === "string" ? Math.floor((res.blob.length * 3) / 4) : 0;
        rawBytes += size;
        if (size > budget) {
          truncated = true;
          content.push({
            type: "text",
            text: `[resource ${String(res.uri)} omitted: ${size} bytes exceeds the output cap]`,
          });
        } else {
          budget -= size;
          content.push(raw);
        }
      }
    } else {
      content.push(redactValue(raw));
    }
  }

  let structured: unknown;
  // The structured copy is checked against the full limits
  if (result.structuredContent !== undefined) {
    const clean = redactValue(result.structuredContent);
    const json = JSON.stringify(clean);
    const size = bytes(json);
    // Judged on its own: downstreams usually repeat it as text, which already used the shared budget.
    if (
      size <= limits.maxBytes &&
      (size <= limits.maxTokens || (tk !== undefined && tk.encode(json).length <= limits.maxTokens))
    ) {
      structured = clean;
    } else {
      truncated = true;
    }
  }
  return { content, structured, truncated, rawBytes };
}
