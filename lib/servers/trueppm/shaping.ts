import type { Collected } from "./paginate.ts";

/** Fields that carry prose written by TruePPM users: cut, marked, and wrapped as untrusted. */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  "description",
  "notes",
  "mitigation",
  "response",
  "summary",
  "narrative",
]);
export const FREE_TEXT_LIMIT = 200;

export type JsonObject = Record<string, unknown>;

const isRecord = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return isRecord(v) && Object.keys(v).length === 0;
}

export function wrapUntrusted(text: string): string {
  return `<untrusted-content>${text}</untrusted-content>`;
}

/**
 * The compaction contract: drop null, "", [] and {} at every depth (0 and false stay); cut free-text
 * strings to 200 characters and mark their object `truncated: true`; wrap every free-text string in
 * `<untrusted-content>` markers so the model reads it as data.
 */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (!isRecord(value)) return value;
  const out: JsonObject = {};
  let cut = false;
  for (const [key, raw] of Object.entries(value)) {
    let v = compact(raw);
    if (isEmpty(v)) continue;
    if (FREE_TEXT_FIELDS.has(key) && typeof v === "string") {
      if (v.length > FREE_TEXT_LIMIT) {
        v = v.slice(0, FREE_TEXT_LIMIT);
        cut = true;
      }
      v = wrapUntrusted(v as string);
    }
    out[key] = v;
  }
  if (cut) out.truncated = true;
  return out;
}

/** Compacts a body that should be an object; anything else becomes {}. */
export function compactObject(value: unknown): JsonObject {
  return isRecord(value) ? (compact(value) as JsonObject) : {};
}

/** Folds the API's `my_role_label` (preferred) or `my_role` into one `caller_role` key. */
export function withCallerRole(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { my_role_label: label, my_role: role, ...rest } = value;
  const callerRole = label ?? role;
  return callerRole === null || callerRole === undefined ? rest : { ...rest, caller_role: callerRole };
}

export interface ListEnvelope {
  items: unknown[];
  total_count: number;
  truncated?: true;
  [key: string]: unknown;
}

/** `{items, total_count}` plus `truncated: true` only when rows were left behind. */
export function listEnvelope(
  collected: Collected,
  shapeRow: (row: unknown) => unknown = compact,
): ListEnvelope {
  const env: ListEnvelope = { items: collected.rows.map(shapeRow), total_count: collected.totalCount };
  if (collected.truncated) env.truncated = true;
  return env;
}

export const isJsonObject = isRecord;
