import type { QueryParams, TrueppmHttpClient } from "./http-client.ts";

/** The original's row cap: enough for any sane question, small enough for a model's context. */
export const MAX_ROWS = 1000;

export interface Collected {
  rows: unknown[];
  /** The server's `count` when it sent an integer, else the number of rows. */
  totalCount: number;
  /** True when rows were left behind: a `next` not followed, the cap hit, or `count` above the rows. */
  truncated: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a Django REST Framework collection: follows the absolute `next` URLs as given until there is
 * none, `maxRows` rows are in, or a page is empty or malformed (a guard against a server that keeps
 * sending `next`), and never requests the same page twice. A bare JSON list is one unpaginated page.
 * `next` URLs off the API's origin are not followed (the token must not leave it); the result is
 * then marked truncated.
 */
export async function collectPages(
  api: TrueppmHttpClient,
  path: string,
  params: QueryParams | undefined,
  isApiOrigin: (url: string) => boolean,
  maxRows: number = MAX_ROWS,
): Promise<Collected> {
  const first = await api.get(path, params);
  if (Array.isArray(first)) {
    return { rows: first.slice(0, maxRows), totalCount: first.length, truncated: first.length > maxRows };
  }
  if (!isRecord(first) || !Array.isArray(first.results)) return { rows: [], totalCount: 0, truncated: false };

  const count = Number.isInteger(first.count) ? (first.count as number) : undefined;
  const rows: unknown[] = [...first.results];
  const seen = new Set<string>();
  let next = typeof first.next === "string" && first.next ? first.next : null;
  while (next && rows.length < maxRows && !seen.has(next) && isApiOrigin(next)) {
    seen.add(next);
    const page = await api.get(next);
    if (!isRecord(page) || !Array.isArray(page.results) || page.results.length === 0) break;
    rows.push(...page.results);
    next = typeof page.next === "string" && page.next ? page.next : null;
  }
  const kept = rows.slice(0, maxRows);
  return {
    rows: kept,
    totalCount: count ?? rows.length,
    truncated: next !== null || rows.length > maxRows || (count !== undefined && count > kept.length),
  };
}
