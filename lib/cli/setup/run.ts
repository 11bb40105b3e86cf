import { homedir } from "node:os";
import { resolve } from "node:path";
import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { UsageError } from "../../core/errors.ts";
import { CLIENT_IDS, clientById } from "./clients.ts";
import { parseEnvPairs } from "./env-pairs.ts";
import { type Launch, redactLaunch } from "./launch.ts";
import { ensureNpxResolves, npxLauncher } from "./npx-check.ts";
import { selfCommand } from "./self-command.ts";
import { readIfExists, writeConfig } from "./write-config.ts";

export interface SetupFlags {
  client: string;
  server: string;
  name?: string;
  env: string[];
  mode: "stdio" | "http";
  url?: string;
  authToken?: string;
  npx?: boolean;
  /** false (`--no-verify`): write an `--npx` entry without asking the registry for the package. */
  verify?: boolean;
  write?: boolean;
  configPath?: string;
}

function buildLaunch(spec: ServerCommandSpec, flags: SetupFlags, sub: string): Launch {
  if (flags.mode === "http") {
    if (flags.env.length)
      throw new UsageError("--env applies to --mode stdio; set the variables where the HTTP server runs");
    const url = flags.url ?? `http://127.0.0.1:${spec.defaultPort}/mcp`;
    try {
      new URL(url);
    } catch {
      throw new UsageError(`--url is not a URL; expected e.g. http://127.0.0.1:${spec.defaultPort}/mcp`);
    }
    return {
      mode: "http",
      url,
      headers: flags.authToken ? { Authorization: `Bearer ${flags.authToken}` } : {},
    };
  }
  if (flags.url || flags.authToken) throw new UsageError("--url and --auth-token need --mode http");
  const [command, ...args] = flags.npx ? npxLauncher() : selfCommand();
  return { mode: "stdio", command: command!, args: [...args, sub], env: parseEnvPairs(flags.env) };
}

/** `mcpkit setup`: print a client's config entry for one server, or merge it into the client's file. */
export async function runSetup(flags: SetupFlags, commands: readonly ServerCommandSpec[]): Promise<void> {
  const client = clientById(flags.client);
  if (!client) throw new UsageError(`unknown --client; pick one of ${CLIENT_IDS.join(", ")}`);
  const spec = commands.find((c) => c.name === flags.server || c.aliases.includes(flags.server));
  if (!spec) throw new UsageError(`unknown --server; pick one of ${commands.map((c) => c.name).join(", ")}`);
  // An alias (`pmcp`) is launched as itself, so the client gets that name's defaults, and names the entry.
  const sub = spec.aliases.includes(flags.server) ? flags.server : spec.name;
  const name = flags.name ?? (sub === spec.name ? `mcpkit-${spec.name}` : sub);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError("--name takes letters, digits, _ and - only");
  const launch = buildLaunch(spec, flags, sub);
  if (launch.mode === "stdio" && flags.npx && flags.verify !== false)
    await ensureNpxResolves([...selfCommand(), sub]);
  const host = { platform: process.platform, home: homedir(), env: process.env };
  const path = resolve(flags.configPath ?? client.defaultPath(host));
  const hint =
    launch.mode === "http"
      ? `; start the server with: mcpkit ${sub} --transport http --port ${new URL(launch.url).port || spec.defaultPort}`
      : "";

  if (!flags.write) {
    process.stdout.write(client.print(name, redactLaunch(launch)));
    const where = flags.client === "claude-code" ? "run the command above" : `merge this into ${path}`;
    process.stderr.write(
      `mcpkit: ${where}, or rerun with --write (secrets are shown as <redacted>)${hint}\n`,
    );
    return;
  }
  const text = client.merge(path, readIfExists(path), name, launch);
  const { backup } = writeConfig(path, text);
  process.stdout.write(
    `mcpkit: wrote "${name}" to ${path}${backup ? ` (backup: ${backup})` : ""}; restart ${client.label} to load it${hint}\n`,
  );
}
