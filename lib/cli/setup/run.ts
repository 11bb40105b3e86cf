import { homedir } from "node:os";
import { resolve } from "node:path";
import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { UsageError } from "../../core/errors.ts";
import { requiredVariables } from "../../core/settings/plans.ts";
import { isLoopbackHost } from "../../transport/guard.ts";
import { CLIENT_IDS, type ClientDef, clientById } from "./clients.ts";
import { parseEnvPairs, REDACTED } from "./env-pairs.ts";
import { type Launch, redactLaunch } from "./launch.ts";
import { ensureNpxResolves, npxLauncher } from "./npx-check.ts";
import { selfCommand } from "./self-command.ts";
import { shellLine } from "./shell-quote.ts";
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

/** Paths mcpkit answers on that a Streamable HTTP client entry must not point at. */
const NOT_AN_ENDPOINT: Record<string, string> = {
  "/sse": "is the legacy SSE endpoint",
  "/messages": "is the legacy SSE message endpoint",
  "/healthz": "is the health check",
  "/": "serves nothing",
};

/** Checks a --url the client will use for Streamable HTTP; a wrong one is refused with the right one. */
function checkUrl(raw: string, spec: ServerCommandSpec): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url is not a URL; expected e.g. http://127.0.0.1:${spec.defaultPort}/mcp`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--url must start with http:// or https:// (got ${url.protocol}//…)`);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const why = NOT_AN_ENDPOINT[path];
  if (why) {
    const fixed = new URL(url);
    fixed.pathname = "/mcp";
    fixed.search = "";
    throw new UsageError(
      `--url ${url.origin}${url.pathname} ${why}; --mode http entries use Streamable HTTP, which mcpkit serves at ${fixed.href}`,
    );
  }
  return url;
}

function serverCommand(flags: SetupFlags): string[] {
  return flags.npx ? npxLauncher() : selfCommand();
}

function buildLaunch(spec: ServerCommandSpec, flags: SetupFlags, sub: string): Launch {
  if (flags.mode === "http") {
    if (flags.env.length)
      throw new UsageError("--env applies to --mode stdio; set the variables where the HTTP server runs");
    const url = checkUrl(flags.url ?? `http://127.0.0.1:${spec.defaultPort}/mcp`, spec);
    return {
      mode: "http",
      url: url.href,
      headers: flags.authToken ? { Authorization: `Bearer ${flags.authToken}` } : {},
    };
  }
  if (flags.url || flags.authToken) throw new UsageError("--url and --auth-token need --mode http");
  const [command, ...args] = serverCommand(flags);
  const env = parseEnvPairs(flags.env);
  const forward = requiredVariables(spec).filter((v) => !(v.name in env));
  return { mode: "stdio", command: command!, args: [...args, sub], env, forward };
}

/**
 * The command that starts the server the entry connects to, runnable as printed: this mcpkit's absolute
 * path (or npx), every flag the URL implies, and the token (redacted) in the environment.
 */
function startHint(spec: ServerCommandSpec, flags: SetupFlags, url: URL, sub: string): string {
  const words = [...serverCommand(flags), sub, "--transport", "http"];
  if (!isLoopbackHost(url.hostname)) words.push("--host", "0.0.0.0");
  words.push("--port", url.port || (url.protocol === "https:" ? "443" : "80"));
  const token = flags.authToken ? `MCPKIT_AUTH_TOKEN=${REDACTED} ` : "";
  const required = requiredVariables(spec);
  const needs = required.length ? ` (with ${required.map((v) => v.name).join(" and ")} set)` : "";
  const proxy = url.protocol === "https:" ? " behind a TLS-terminating proxy" : "";
  return `start the server with: ${token}${shellLine(words)}${needs}${proxy}`;
}

/** The note about required variables the entry passes from the client's environment. */
function forwardNote(spec: ServerCommandSpec, client: ClientDef, launch: Launch): string | undefined {
  if (launch.mode !== "stdio" || !launch.forward.length) return undefined;
  const names = launch.forward.map((v) => `${v.name} (${v.description})`).join(" and ");
  if (!client.forwards)
    return `${spec.name} needs ${names}: replace the <set …> placeholders, or rerun with --env NAME=VALUE`;
  return `${spec.name} needs ${names}; the entry passes each through ${client.forwards}, so set them where ${client.label} starts, or rerun with --env NAME=VALUE to write values`;
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
  const notes = [
    forwardNote(spec, client, launch),
    launch.mode === "http" ? startHint(spec, flags, new URL(launch.url), sub) : undefined,
  ].filter(Boolean);
  const tail = notes.map((n) => `\nmcpkit: ${n}`).join("");

  if (!flags.write) {
    process.stdout.write(client.print(name, redactLaunch(launch)));
    const where = flags.client === "claude-code" ? "run the command above" : `merge this into ${path}`;
    process.stderr.write(
      `mcpkit: ${where}, or rerun with --write (secrets are shown as <redacted>)${tail}\n`,
    );
    return;
  }
  const text = client.merge(path, readIfExists(path), name, launch);
  const { backup } = writeConfig(path, text);
  process.stdout.write(
    `mcpkit: wrote "${name}" to ${path}${backup ? ` (backup: ${backup})` : ""}; restart ${client.label} to load it${tail}\n`,
  );
}
