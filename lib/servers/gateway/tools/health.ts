import { z } from "zod";
import { defineTool, READ_ONLY } from "./define.ts";

export const health = defineTool({
  verb: "health",
  title: "Health",
  description: "Server states.",
  input: z.object({}).strict(),
  annotations: READ_ONLY,
  async run(_args, core) {
    const servers = core.servers.all().map((e) => {
      const h = e.conn?.health();
      const row: Record<string, unknown> = {
        name: e.name,
        state: core.servers.state(e),
        origin: e.origin,
        connection: h?.state ?? "idle",
        tool_count: core.catalog.liveTools(e.name).length,
      };
      if (e.eager) row.auto_start = true;
      if (h?.lastError) row.error = h.lastError;
      if (h?.restarts) row.restarts = h.restarts;
      if (e.missing.length) {
        row.missing_env_vars = e.missing;
        row.next_step = `${core.name("auth_connect")}(server_name='${e.name}')`;
      }
      return row;
    });
    const data = {
      revision_id: core.revision,
      last_refresh: core.lastRefresh,
      servers,
      manifest_known: core.manifest.size,
      pending: core.pending.size,
      config_sources: core.config.sources.filter((s) => s.exists).map((s) => s.path),
      ...(core.policy.source ? { policy: core.policy.source } : {}),
      ...(core.discovered.size ? { registered: [...core.discovered.keys()] } : {}),
      ...(core.persisted.problems.length ? { state_file_problems: core.persisted.problems } : {}),
    };
    const lines = servers.map(
      (s) =>
        `${s.name}: ${s.state} (${s.connection}, ${s.tool_count} tools)${s.error ? ` error: ${s.error}` : ""}${s.missing_env_vars ? ` needs ${(s.missing_env_vars as string[]).join(", ")}` : ""}`,
    );
    lines.push(
      `${core.manifest.size} more provisionable from the manifest; ${core.pending.size} call(s) in flight.`,
    );
    return { data, text: lines.join("\n") };
  },
});
