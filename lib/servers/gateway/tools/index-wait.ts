import { z } from "zod";
import type { GatewayCore } from "../core.ts";
import type { Extra } from "./define.ts";

/** Per-call bound on the wait for servers still being indexed (ms); the default is lifecycle.search_wait. */
export const waitMsArg = z.number().int().min(0).max(60_000).optional();

/**
 * Waits (bounded) for servers still being indexed, of `names` or all; reports progress when the client
 * asked for it and stops waiting when the call is cancelled. Returns the servers still indexing.
 */
export async function waitForIndexing(
  core: GatewayCore,
  extra: Extra,
  waitMs: number | undefined,
  names?: string[],
): Promise<string[]> {
  core.startBackground();
  const token = extra.mcpReq._meta?.progressToken;
  const total = core.indexer.inProgress(names, { firstAttempt: true }).length;
  if (!total) return [];
  // One progress notification as the wait starts and one each time a server finishes while others
  // remain; none for the last one: the result follows at once (and an SDK client that reads both in one
  // chunk drops progress that arrives with the result).
  let last = -1;
  const sent: Promise<unknown>[] = [];
  const notify = (remaining: string[]) => {
    if (token === undefined || !remaining.length) return;
    // Servers done so far; always increasing, as MCP requires (a failed server may be queued again).
    const progress = Math.max(last + 1, total - remaining.length);
    last = progress;
    sent.push(
      extra.mcpReq
        .notify({
          method: "notifications/progress",
          params: {
            progressToken: token,
            progress,
            total: Math.max(total, progress + remaining.length),
            message: `waiting for ${remaining.join(", ")} to be indexed`,
          },
        })
        .catch(() => {}),
    );
  };
  notify(core.indexer.inProgress(names, { firstAttempt: true }));
  const left = await core.indexer.settle(waitMs ?? core.searchWaitMs, {
    ...(names ? { names } : {}),
    signal: extra.mcpReq.signal,
    onChange: notify,
  });
  await Promise.all(sent);
  return left;
}

/** Servers with no known tools and why (index failed, variables missing), for search answers. */
export function unindexed(core: GatewayCore): Array<{ server: string; reason: string }> {
  const out: Array<{ server: string; reason: string }> = [];
  for (const e of core.servers.all()) {
    if (core.catalog.knows(e.name)) continue;
    const st = core.indexer.get(e.name);
    // A failed server keeps its last error while it is retried.
    const reason = st?.error
      ? `index failed: ${st.error}`
      : e.missing.length
        ? `needs ${e.missing.join(", ")}`
        : st?.state === "skipped"
          ? (st.reason ?? "not indexed")
          : undefined;
    if (reason)
      out.push({ server: e.name, reason: reason.length > 200 ? `${reason.slice(0, 200)}…` : reason });
  }
  return out;
}
