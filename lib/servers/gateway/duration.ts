/** Milliseconds per unit of a duration written as `<number><unit>`. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration: a number is seconds (0.5 = 500 ms), a string may carry a unit (`500ms`, `10s`,
 * `10m`, `1h`; none = seconds). Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === "number")
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? "s").toLowerCase()]!);
}
