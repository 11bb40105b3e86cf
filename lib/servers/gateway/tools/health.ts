import { z } from "zod";
import type { GatewayCore } from "../core.ts";
import type { ServerEntry } from "../server-table.ts";
import { metaTool, reply } from "./define.ts";

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Where a server's cards come from and how indexing went (see indexer.ts for the states). */
function indexRow(core: GatewayCore, e: ServerEntry): Record<string, unknown> | undefined {
  const st = core.indexer.get(e.name);
  if (!st) return undefined;
  const now = Date.now();
  return {
    state: st.state,
    ...(st.attempts ? { attempts: st.attempts } : {}),
    ...(st.error ? { error: st.error } : {}),
    ...(st.reason ? { reason: st.reason } : {}),
    ...(st.retryAt ? { retry_in_s: Math.max(0, seconds(st.retryAt - now)) } : {}),
    ...(st.state === "cached" ? { cached_at: core.cache.generatedAt(e.name) } : {}),
  };
}

const input = z.object({}).strict();

export const health = metaTool({
  name: "health",
  title: "Health",
  description: "Server states.",
  input,
  hints: "read",
  async handler(_args, { core }) {
    const now = Date.now();
    const lc = core.lifecycle;
    const servers = core.servers.all().map((e) => {
      const h = e.conn?.health();
      const running = core.servers.isRunning(e);
      const live = core.catalog.liveTools(e.name);
      const row: Record<string, unknown> = {
        name: e.name,
        state: core.servers.state(e),
        origin: e.origin,
        connection: h?.state ?? "idle",
        tool_count: live.length || core.catalog.cachedTools(e.name).length,
      };
      if (e.eager) row.auto_start = true;
      if (h?.protocolVersion && h.state === "connected") row.protocol_version = h.protocolVersion;
      if (h?.lastError) row.error = h.lastError;
      if (h?.restarts) row.restarts = h.restarts;
      if (running && h?.pid) row.pid = h.pid;
      if (running && lc.reapable(e)) row.idle_s = seconds(now - lc.lastActive(e));
      if (!running && e.stopped) {
        row.stopped = { reason: e.stopped.reason, ago_s: seconds(now - e.stopped.at) };
      }
      const index = indexRow(core, e);
      if (index) row.index = index;
      // Resources, templates and prompts it offered when last listed.
      const offers = core.cache.listCounts(e.name);
      if (Object.keys(offers).length) row.offers = offers;
      const changed = [...core.cache.changes(e.name).keys()];
      if (changed.length) row.changed_tools = changed;
      if (e.missing.length) {
        row.missing_env_vars = e.missing;
        row.next_step = `${core.name("auth_connect")}(server_name='${e.name}')`;
      }
      return row;
    });
    const changes = core.cache
      .allChanges()
      .filter((c) => core.servers.get(c.server))
      .map((c) => ({ tool_id: `${c.server}::${c.tool}`, ...c.change }));
    const indexing = core.indexer.inProgress();
    const data = {
      revision_id: core.revision,
      last_refresh: core.lastRefresh,
      servers,
      lifecycle: {
        idle_timeout_s: seconds(lc.settings.idleTimeoutMs),
        max_running: lc.settings.maxRunning,
        running_processes: lc.processCount(),
        reaped_idle: lc.reaped,
        evicted: lc.evicted,
        index_concurrency: core.indexer.settings.concurrency,
        index_timeout_s: seconds(core.indexer.settings.timeoutMs),
        search_wait_s: seconds(core.searchWaitMs),
      },
      ...(indexing.length ? { indexing } : {}),
      ...(changes.length
        ? {
            changed_tools: changes,
            changed_tools_policy: core.policy.changedTools,
            accept_with: `${core.name("refresh")}(accept_changes=[tool_id, ...])`,
          }
        : {}),
      manifest_known: core.manifest.size,
      pending: core.pending.size,
      config_sources: core.config.sources.filter((s) => s.exists).map((s) => s.path),
      ...(core.policy.source ? { policy: core.policy.source } : {}),
      ...(core.discovered.size ? { registered: [...core.discovered.keys()] } : {}),
      ...(core.persisted.problems.length ? { state_file_problems: core.persisted.problems } : {}),
    };
    const lines = servers.map((s) => {
      const index = s.index as { state: string; error?: string } | undefined;
      const stopped = s.stopped as { reason: string } | undefined;
      return (
        `${s.name}: ${s.state} (${s.connection}, ${s.tool_count} tools` +
        `${index ? `, index ${index.state}` : ""}${stopped ? `, stopped: ${stopped.reason}` : ""})` +
        `${s.error ? ` error: ${s.error}` : index?.error ? ` index error: ${index.error}` : ""}` +
        `${s.missing_env_vars ? ` needs ${(s.missing_env_vars as string[]).join(", ")}` : ""}` +
        `${s.changed_tools ? ` CHANGED: ${(s.changed_tools as string[]).join(", ")}` : ""}`
      );
    });
    lines.push(
      `${lc.processCount()} of max ${lc.settings.maxRunning} downstream processes running; idle timeout ${seconds(lc.settings.idleTimeoutMs)} s.`,
    );
    if (changes.length) {
      lines.push(
        `${changes.length} changed tool definition(s) (${core.policy.changedTools}); accept with ${data.accept_with}.`,
      );
    }
    lines.push(
      `${core.manifest.size} more provisionable from the manifest; ${core.pending.size} call(s) in flight.`,
    );
    return reply({ data, text: lines.join("\n") });
  },
});
