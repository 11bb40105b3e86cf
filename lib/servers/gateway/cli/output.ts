/** Compact JSON for --json output (one document, trailing newline). */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : undefined;

/** How to run the gateway's commands again, in the name the user started it with (`pmcp` or `mcpkit gateway`). */
export function selfName(invokedAs: string | undefined): string {
  return invokedAs && invokedAs !== "gateway" ? invokedAs : "mcpkit gateway";
}
