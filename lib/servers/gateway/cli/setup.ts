import { runSetup } from "../../../cli/setup/run.ts";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { gatewayCommand } from "../command.ts";
import { str } from "./output.ts";

/** PMCP's client names mapped to mcpkit setup's (PMCP's "claude" is Claude Code). */
const CLIENTS: Record<string, string> = { claude: "claude-code" };

/**
 * `mcpkit gateway setup`: `mcpkit setup --server gateway` with PMCP's flags: prints the client's config
 * entry, or merges it into the client's file after a timestamped backup with --write. --mode http points
 * the client at http://<--host>:<--port>/mcp (default 127.0.0.1:3344).
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const mode = (str(o.mode) ?? "stdio") as "stdio" | "http";
  const client = str(o.client) ?? "claude";
  const host = str(o.host) ?? "127.0.0.1";
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url =
    str(o.url) ??
    (mode === "http" ? `http://${h.includes(":") ? `[${h}]` : h}:${Number(o.port ?? 3344)}/mcp` : undefined);
  await runSetup(
    {
      client: CLIENTS[client] ?? client,
      // `pmcp setup` writes an entry that starts `pmcp` again, so the client gets PMCP's defaults too.
      server: ctx.invokedAs || "gateway",
      name: str(o.name),
      env: Array.isArray(o.env) ? (o.env as string[]) : [],
      mode,
      url,
      authToken: str(o.authToken),
      npx: Boolean(o.npx),
      verify: o.verify !== false,
      write: Boolean(o.write),
      configPath: str(o.configPath),
    },
    [gatewayCommand],
  );
  return 0;
}
