import { PtmApiError } from "./errors.ts";
import type { PtmHttpClient } from "./http-client.ts";

/** The backend's largest page (contract: limit max 200). */
export const BACKEND_PAGE_MAX = 200;

export interface PageWalk {
  items: Record<string, unknown>[];
  total?: number;
  offset: number;
  returned: number;
  truncated: boolean;
  next_offset?: number;
}

/**
 * Follows `offset` pages of a list endpoint until `want` rows are gathered or the backend runs out,
 * and says whether rows were left behind (and where to continue).
 */
export async function collectPages(
  client: PtmHttpClient,
  path: string,
  filters: Record<string, unknown>,
  opts: {
    want: number;
    offset: number;
    signal?: AbortSignal;
    /** Called after each page with the rows gathered so far (for MCP progress notifications). */
    onPage?: (gathered: number, want: number) => Promise<void>;
  },
): Promise<PageWalk> {
  const items: Record<string, unknown>[] = [];
  let offset = opts.offset;
  let total: number | undefined;
  let exhausted = false;
  while (items.length < opts.want) {
    const limit = Math.min(BACKEND_PAGE_MAX, opts.want - items.length);
    const res = await client.request({
      method: "GET",
      path,
      query: { ...filters, limit, offset },
      signal: opts.signal,
    });
    const page = res.json as { items?: unknown; total?: unknown } | undefined;
    if (!page || !Array.isArray(page.items))
      throw new PtmApiError(
        res.status,
        `PTM answered GET ${path} without an "items" list: check the backend version.`,
      );
    if (typeof page.total === "number") total = page.total;
    items.push(...(page.items as Record<string, unknown>[]));
    offset += page.items.length;
    await opts.onPage?.(items.length, opts.want);
    if (page.items.length === 0 || (total !== undefined && offset >= total)) {
      exhausted = true;
      break;
    }
    // A short page without a total means the backend has nothing more.
    if (total === undefined && page.items.length < limit) {
      exhausted = true;
      break;
    }
  }
  const truncated = !exhausted && (total === undefined || offset < total);
  return {
    items,
    ...(total !== undefined ? { total } : {}),
    offset: opts.offset,
    returned: items.length,
    truncated,
    ...(truncated ? { next_offset: offset } : {}),
  };
}
