/** Compact JSON for --json output (one document, trailing newline). */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : undefined;
