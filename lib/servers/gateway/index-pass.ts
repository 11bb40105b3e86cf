import { errorMessage } from "../../core/errors.ts";
import { redactor } from "../../core/redact.ts";
import { UpstreamError } from "../../upstream/index.ts";
import type { GatewayCore } from "./core.ts";
import { fetchAll } from "./proxy-shared.ts";
import { GatewayError, type ServerEntry } from "./server-table.ts";

/**
 * One indexing pass over a server: start it (unless running), list its tools (into the catalog and the
 * description cache) and its resources, templates and prompts (into the cache), then stop it again
 * unless it is autoStart, was running before, or a describe/invoke/read used it meanwhile. Bounded by
 * `timeoutMs`; a server that overruns is stopped. Failures are thrown as one line naming the server.
 */
export async function indexServer(core: GatewayCore, name: string, timeoutMs: number): Promise<void> {
  const entry = core.servers.get(name);
  if (!entry) return;
  const wasRunning = core.servers.isRunning(entry);
  const since = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let outcome: "indexed" | "index_failed" = "indexed";
  entry.indexing = true;
  try {
    const work = (async () => {
      const { conn, tools } = await core.servers.ensure(name, { touch: false });
      // A fresh connection's listing was indexed as it arrived; an already running one may predate the cache.
      if (core.cache.specHash(name) !== core.specHashOf(entry) || !core.catalog.isLive(name)) {
        core.indexTools(name, tools);
      }
      const client = conn.client;
      const caps = client?.getServerCapabilities();
      if (!client || !caps) return;
      for (const kind of ["resources", "templates", "prompts"] as const) {
        const offered = kind === "prompts" ? caps.prompts : caps.resources;
        const items = offered ? await fetchAll(client, kind).catch(() => undefined) : [];
        if (items) core.cache.setList(name, kind, items);
      }
    })();
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new GatewayError(
                `server '${name}' did not start and list its tools within ${Math.round(timeoutMs / 100) / 10} s (lifecycle.index_timeout)`,
                "index_timeout",
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    outcome = "index_failed";
    throw await indexFailure(entry, err);
  } finally {
    clearTimeout(timer);
    entry.indexing = false;
    const used = (entry.lastUsed ?? 0) >= since || core.pending.list(name).length > 0;
    if (!wasRunning && !entry.eager && !used && core.servers.get(name) === entry) {
      await core.servers.stop(name, outcome).catch(() => {});
    }
  }
}

/**
 * An indexing failure as one actionable line naming the server, with how its process ended (or the
 * last lines of its stderr) when that explains more than the protocol error does.
 */
async function indexFailure(entry: ServerEntry, err: unknown): Promise<Error> {
  if (err instanceof GatewayError || err instanceof UpstreamError) return err as Error;
  // The process's exit is reported just after the request fails; give it a moment to arrive.
  await new Promise((r) => setTimeout(r, 100));
  const conn = entry.conn;
  const lost = conn?.health().lastError;
  const tail = conn
    ?.stderrText()
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-2)
    .join(" | ");
  const detail = lost ?? (tail ? `stderr: ${tail}` : undefined);
  return new Error(
    redactor.redact(
      `server '${entry.name}' failed while being indexed: ${errorMessage(err)}${detail ? ` (${detail})` : ""}`,
    ),
  );
}
