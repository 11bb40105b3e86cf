import { VERSION } from "../../../cli/version.ts";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { errorMessage } from "../../../core/errors.ts";
import { createLogger } from "../../../core/log.ts";
import { DescriptionCache } from "../description-cache.ts";
import { ServerTable } from "../server-table.ts";
import { specHash } from "../spec-hash.ts";
import { cacheDir } from "../state-dir.ts";
import { recordFromTool } from "../tool-record.ts";
import { connectGateway, findGatewayUrl } from "./gateway-client.ts";
import { json, str } from "./output.ts";
import { readGatewayFacts } from "./state.ts";

/** Servers started at once by an offline refresh, and how long each may take to start and list tools. */
const CONCURRENCY = 4;
const PER_SERVER_TIMEOUT_MS = 30_000;

/**
 * `mcpkit gateway refresh`: with a running HTTP gateway, calls its gateway_refresh (config diff; --force
 * cancels calls in flight). Without one, an offline refresh: starts each configured server (4 at a time,
 * 30 s each), lists its tools and writes them to the description cache the gateway reads
 * (<cache dir>/gateway/descriptions.json) with the launch spec they came from, so a gateway started later
 * finds them without starting or indexing anything.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const only = str(o.server);
  const found = await findGatewayUrl(ctx);
  if (found.url) return online(ctx, found.url, only);
  return offline(ctx, only);
}

async function online(ctx: SubcommandContext, url: string, only?: string): Promise<number> {
  let conn: Awaited<ReturnType<typeof connectGateway>> | undefined;
  try {
    conn = await connectGateway(ctx, url);
    const r = await conn.call("refresh", {
      reason: "mcpkit gateway refresh",
      ...(ctx.options.force ? { force: true } : {}),
    });
    let server: Record<string, unknown> | undefined;
    if (only && !r.isError) {
      const h = await conn.call("health", {});
      server = ((h.data.servers as Array<Record<string, unknown>>) ?? []).find((s) => s.name === only);
    }
    if (ctx.options.json) {
      ctx.stdout(
        json({ gateway: url, mode: "running", ...r.data, ...(only ? { server: server ?? null } : {}) }),
      );
    } else {
      ctx.stdout(`gateway at ${url}: ${r.text}\n`);
      if (only)
        ctx.stdout(
          server
            ? `${only}: ${server.state} (${server.tool_count} tools)\n`
            : `${only}: not served by this gateway\n`,
        );
    }
    return r.isError || (only && !server) ? 1 : 0;
  } catch (err) {
    ctx.stderr(`mcpkit: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await conn?.close();
  }
}

async function offline(ctx: SubcommandContext, only?: string): Promise<number> {
  const o = ctx.options;
  const facts = readGatewayFacts(o, ctx.env, ctx.cwd);
  const broken = facts.configError ?? facts.policyError;
  if (broken) {
    ctx.stderr(`mcpkit: ${broken}\n`);
    return 1;
  }
  const policy = facts.policy!;
  const specs = facts.config!.specs.filter((s) => (only ? s.name === only : true));
  if (only && !specs.length) {
    ctx.stderr(`mcpkit: '${only}' is not a configured server\n`);
    return 1;
  }
  const cache = new DescriptionCache(cacheDir(ctx.env, o.cacheDir));
  const log = createLogger({ level: "silent" });
  const table = new ServerTable(
    () => facts.store.lookup(),
    ctx.env,
    log,
    VERSION,
    () => {},
  );
  const results: Array<Record<string, unknown>> = [];
  const queue = [...specs];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      if (!policy.serverAllowed(spec.name)) {
        results.push({ server: spec.name, ok: true, skipped: "denied by policy" });
        continue;
      }
      const entry = table.add(spec, "config", false);
      if (entry.missing.length) {
        results.push({ server: spec.name, ok: true, skipped: `needs ${entry.missing.join(", ")}` });
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        const { tools } = await Promise.race([
          table.ensure(spec.name),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no tool list within ${PER_SERVER_TIMEOUT_MS / 1000} s`)),
              PER_SERVER_TIMEOUT_MS,
            );
          }),
        ]);
        const records = tools
          .slice(0, policy.limits.max_tools_per_server)
          .map((t) => recordFromTool(spec.name, t as never));
        const changes = cache.update(spec.name, records, specHash(spec, VERSION));
        results.push({
          server: spec.name,
          ok: true,
          tools: records.length,
          ...(changes.size ? { changed_tools: [...changes.keys()] } : {}),
        });
      } catch (err) {
        results.push({ server: spec.name, ok: false, error: errorMessage(err) });
      } finally {
        clearTimeout(timer);
        await table.stop(spec.name).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await table.closeAll();
  results.sort((a, b) => String(a.server).localeCompare(String(b.server)));
  const failed = results.some((r) => r.ok === false);
  if (o.json) ctx.stdout(json({ ok: !failed, mode: "offline", cache: cache.path, results }));
  else {
    ctx.stdout(`no running HTTP gateway: refreshed the description cache ${cache.path}\n`);
    for (const r of results) {
      ctx.stdout(
        `  ${r.server}: ${r.skipped ? `skipped (${r.skipped})` : r.ok ? `${r.tools} tools` : `FAILED: ${r.error}`}${r.changed_tools ? ` (changed since indexed: ${(r.changed_tools as string[]).join(", ")})` : ""}\n`,
      );
    }
    if (!results.length) ctx.stdout("  no configured servers\n");
  }
  return failed ? 1 : 0;
}
