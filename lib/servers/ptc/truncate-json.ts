/**
 * Shrinks a JSON value until its serialisation fits a byte budget, keeping it valid JSON: long strings are
 * clipped with a marker, arrays keep their leading items plus a count, objects their first keys plus a count,
 * and nesting beyond a depth is summarised. Cutting serialised text would hand the model broken JSON.
 */
interface Limits {
  chars: number;
  items: number;
  keys: number;
  depth: number;
}

const LEVELS: Limits[] = [
  { chars: 8192, items: 500, keys: 500, depth: 24 },
  { chars: 2048, items: 100, keys: 100, depth: 16 },
  { chars: 1024, items: 50, keys: 50, depth: 12 },
  { chars: 512, items: 20, keys: 30, depth: 8 },
  { chars: 256, items: 10, keys: 20, depth: 6 },
  { chars: 128, items: 5, keys: 10, depth: 4 },
  { chars: 64, items: 3, keys: 5, depth: 3 },
  { chars: 32, items: 1, keys: 3, depth: 2 },
  { chars: 16, items: 0, keys: 1, depth: 1 },
];

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");
}

function summary(value: unknown): string {
  if (Array.isArray(value)) return `[array of ${value.length} items]`;
  return `[object with ${Object.keys(value as object).length} keys]`;
}

function clip(value: unknown, lim: Limits, depth: number): unknown {
  if (typeof value === "string") {
    if (value.length <= lim.chars) return value;
    return `${value.slice(0, lim.chars)}… [truncated: ${value.length - lim.chars} more chars]`;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= lim.depth) return summary(value);
  if (Array.isArray(value)) {
    const kept = value.slice(0, lim.items).map((v) => clip(v, lim, depth + 1));
    if (value.length > lim.items) kept.push(`… [${value.length - lim.items} more items]`);
    return kept;
  }
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, lim.keys)) out[k] = clip(v, lim, depth + 1);
  if (entries.length > lim.keys) out["…"] = `[${entries.length - lim.keys} more keys]`;
  return out;
}

export function truncateJson(value: unknown, maxBytes: number): { value: unknown; truncated: boolean } {
  if (jsonBytes(value) <= maxBytes) return { value, truncated: false };
  for (const lim of LEVELS) {
    const clipped = clip(value, lim, 0);
    if (jsonBytes(clipped) <= maxBytes) return { value: clipped, truncated: true };
  }
  return { value: `[result truncated: ${jsonBytes(value)} bytes of JSON]`, truncated: true };
}
