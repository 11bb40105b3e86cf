import { VERSION } from "../../cli/version.ts";
import type { SubcommandContext } from "../../core/command-spec.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { ptmCommand } from "./command.ts";
import { ptmConfig } from "./config.ts";
import { prepare } from "./index.ts";
import { EXIT, runPreflight } from "./preflight.ts";

/**
 * `mcpkit ptm check` (`ptm-mcp check`): the original's start-up preflight on its own, for scripts. Exit 0
 * when the backend is healthy, accepts the token and is new enough; otherwise one line on stderr and the
 * original's code (1 bad environment, 2 unreachable after the backoff, 3 token rejected, 4 version, 130
 * interrupted).
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  process.once("SIGINT", () => process.exit(EXIT.interrupted));
  const settings = ptmConfig(serverSettings({ config: ctx.config, env: ctx.env }, ptmCommand));
  const { config, client, log } = prepare(settings, ctx.env, VERSION, ctx.log);
  const result = await runPreflight(client, { backoffMs: config.preflightBackoffMs, log });
  const who = result.identity.email ?? result.identity.id;
  ctx.stdout(
    `PTM ${result.backendVersion} at ${client.baseUrl}: healthy, token accepted${typeof who === "string" ? ` (${who})` : ""}\n`,
  );
  return EXIT.ok;
}
