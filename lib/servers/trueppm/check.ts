import type { SubcommandContext } from "../../core/command-spec.ts";
import { serverSettings } from "../../core/settings/server-config.ts";
import { trueppmCommand } from "./command.ts";
import { trueppmConfig } from "./config.ts";
import { createHttpClient } from "./http-client.ts";
import { bootCheck } from "./index.ts";

/**
 * `mcpkit trueppm check` (`trueppm-mcp check`): the boot check alone, for scripts. Exit 0 when the API
 * accepts the token; otherwise one line on stderr and 2 (configuration), 3 (token rejected or MCP access
 * switched off) or 4 (API unreachable or answering wrongly).
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const config = trueppmConfig(serverSettings({ config: ctx.config, env: ctx.env }, trueppmCommand));
  await bootCheck(createHttpClient(config));
  ctx.stdout(`TruePPM API at ${config.apiBaseUrl}: token accepted\n`);
  return 0;
}
