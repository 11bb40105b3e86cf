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
  const token = extra._meta?.progressToken;
  const total = core.indexer.inProgress(names).length;
  if (!total) return [];
  let step = 0;
  const sent: Promise<unknown>[] = [];
  const left = await core.indexer.settle(waitMs ?? core.searchWaitMs, {
    ...(names ? { names } : {}),
    signal: extra.signal,
    onChange: (remaining) => {
      if (token === undefined) return;
      sent.push(
        extra
          .sendNotification({
            method: "notifications/progress",
            params: {
              progressToken: token,
              progress: ++step,
              total,
              message: remaining.length ? `still indexing: ${remaining.join(", ")}` : "indexing done",
            },
          })
          .catch(() => {}),
      );
    },
  });
  // Progress must reach the client before the result does (it drops progress for a finished request).
  await Promise.all(sent);
  return left;
}

/** Servers with no known tools and why (index failed, variables missing), for search answers. */
export function unindexed(core: GatewayCore): Array<{ server: string; reason: string }> {
  const out: Array<{ server: string; reason: string }> = [];
  for (const e of core.servers.all()) {
    if (core.catalog.knows(e.name)) continue;
    const st = core.indexer.get(e.name);
    const reason =
      st?.state === "failed"
        ? `index failed: ${st.error ?? "unknown error"}`
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
