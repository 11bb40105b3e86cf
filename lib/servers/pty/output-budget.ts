/** Shrinks output for a model's context: keep the last N lines, or head+tail within a token budget. */

type Counter = (text: string) => number;
let counter: Promise<Counter> | undefined;
function loadCounter(): Promise<Counter> {
  counter ??= import("gpt-tokenizer").then((m) => m.countTokens as Counter);
  return counter;
}

const note = (bytes: number) => `\n[… ${bytes} bytes omitted …]\n`;

export interface Budgeted {
  text: string;
  omitted_bytes: number;
}

export function tailLines(text: string, lines: number): Budgeted {
  const parts = text.split("\n");
  // A trailing newline ends the last line rather than starting an empty one.
  const trailing = parts.length > 1 && parts[parts.length - 1] === "" ? 1 : 0;
  if (parts.length - trailing <= lines) return { text, omitted_bytes: 0 };
  const kept = parts.slice(parts.length - trailing - lines).join("\n");
  const omitted = Buffer.byteLength(text) - Buffer.byteLength(kept);
  return { text: `[… ${omitted} bytes omitted …]\n${kept}`, omitted_bytes: omitted };
}

/** Keeps the beginning and the end within `maxTokens`, eliding the middle with a note. */
export async function limitTokens(text: string, maxTokens: number): Promise<Budgeted> {
  const count = await loadCounter();
  const total = count(text);
  if (total <= maxTokens) return { text, omitted_bytes: 0 };
  const budget = Math.max(1, maxTokens - count(note(Buffer.byteLength(text))));
  // Start from the average characters per token, then shrink until the two halves fit.
  let keep = Math.floor((text.length / total) * budget);
  for (let i = 0; i < 20 && keep > 0; i++) {
    const head = text.slice(0, Math.ceil(keep / 2));
    const tail = text.slice(text.length - Math.floor(keep / 2));
    if (count(head) + count(tail) <= budget) {
      const omitted = Buffer.byteLength(text) - Buffer.byteLength(head) - Buffer.byteLength(tail);
      return { text: head + note(omitted) + tail, omitted_bytes: omitted };
    }
    keep = Math.floor(keep * 0.85);
  }
  const omitted = Buffer.byteLength(text);
  return { text: note(omitted), omitted_bytes: omitted };
}
