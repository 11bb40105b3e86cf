import type { SubcommandContext } from "../../../core/command-spec.ts";
import { errorMessage } from "../../../core/errors.ts";
import { connectGateway, findGatewayUrl } from "./gateway-client.ts";
import { json, str } from "./output.ts";

/**
 * `mcpkit gateway update <server> | --all`: asks the running HTTP gateway to update and restart npx, uvx
 * or docker servers (gateway_update_server). Without a running gateway there is nothing to restart: exit 1.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const server = str(ctx.args[0]);
  if (!server === !o.all) {
    ctx.stderr("mcpkit: name one server, or pass --all\n");
    return 2;
  }
  const { url } = await findGatewayUrl(ctx);
  if (!url) {
    ctx.stderr(
      "mcpkit: no running HTTP gateway found (no live lock in the state dir, nothing on --host/--port): update restarts servers inside a running gateway; start one with `mcpkit gateway --transport http`, or call gateway_update_server from the client of a stdio gateway\n",
    );
    return 1;
  }
  let conn: Awaited<ReturnType<typeof connectGateway>> | undefined;
  try {
    conn = await connectGateway(ctx, url);
    const names = server
      ? [server]
      : (((await conn.call("health", {})).data.servers as Array<{ name: string; origin: string }>) ?? [])
          .filter((s) => s.origin !== "builtin")
          .map((s) => s.name);
    const results: Array<Record<string, unknown>> = [];
    let failed = false;
    for (const name of names) {
      const r = await conn.call("update_server", { server_name: name, ...(o.force ? { force: true } : {}) });
      // With --all, servers that are not npx/uvx/docker launched are skipped, not failures.
      const skipped = !server && r.isError && r.data.package_type === "unknown";
      if (r.isError && !skipped) failed = true;
      results.push({ server: name, ...(skipped ? { skipped: true } : {}), ...r.data, text: r.text });
    }
    if (o.json) ctx.stdout(json({ ok: !failed, gateway: url, results }));
    else {
      for (const r of results) {
        ctx.stdout(
          `${r.server}: ${r.skipped ? "skipped (not npx/uvx/docker)" : r.ok === false ? `FAILED: ${r.text}` : r.text}\n`,
        );
      }
      if (!results.length) ctx.stdout(`no servers to update at ${url}\n`);
    }
    return failed ? 1 : 0;
  } catch (err) {
    ctx.stderr(`mcpkit: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await conn?.close();
  }
}
