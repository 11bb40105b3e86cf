import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { UsageError } from "../../../core/errors.ts";
import { Manifest, type ManifestEntry } from "../manifest.ts";
import { selfName, str } from "./output.ts";

/** A manifest entry as a .mcp.json server; the credential stays a `${VAR}` placeholder. */
function entryFor(m: ManifestEntry): Record<string, unknown> {
  if (m.url) {
    return {
      type: m.transport ?? "http",
      url: m.url,
      ...(Object.keys(m.headers).length ? { headers: m.headers } : {}),
    };
  }
  const env = { ...m.env };
  if (m.env_var && !(m.env_var in env)) env[m.env_var] = `\${${m.env_var}}`;
  return {
    command: m.command,
    args: m.args,
    ...(Object.keys(env).length ? { env } : {}),
    ...(m.cwd ? { cwd: m.cwd } : {}),
  };
}

/**
 * `mcpkit gateway init [--add NAME]… [--force]`: writes a starter `<project>/.mcp.json` (project =
 * --project or the current directory) without asking anything. An existing file is never replaced
 * without --force. `--add` copies manifest servers in, credentials as `${VAR}` placeholders.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const dir = resolve(ctx.cwd, str(ctx.options.project) ?? ".");
  const file = join(dir, ".mcp.json");
  if (existsSync(file) && !ctx.options.force) {
    ctx.stderr(`mcpkit: ${file} already exists; pass --force to replace it\n`);
    return 1;
  }
  const manifest = new Manifest(str(ctx.options.manifest) ?? str(ctx.env.PMCP_MANIFEST_PATH));
  const servers: Record<string, unknown> = {};
  const keys: string[] = [];
  for (const name of (ctx.options.add as string[] | undefined) ?? []) {
    const m = manifest.get(name);
    if (!m)
      throw new UsageError(
        `--add ${name}: not in the manifest (${selfName(ctx.invokedAs)} status lists what is known)`,
      );
    if (m.not_available) throw new UsageError(`--add ${name}: not available: ${m.not_available}`);
    servers[m.name] = entryFor(m);
    if (m.env_var) keys.push(m.env_var);
  }
  writeFileSync(file, `${JSON.stringify({ mcpServers: servers, autoStart: [] }, null, 2)}\n`);
  const next = [
    `wrote ${file}`,
    Object.keys(servers).length
      ? `servers: ${Object.keys(servers).join(", ")}`
      : "no servers yet: add them under mcpServers (with none, the gateway serves its built-in pty and ptc)",
    ...keys.map(
      (k) => `needs ${k}: ${selfName(ctx.invokedAs)} secrets set ${k} --scope project (value on stdin)`,
    ),
    `check it with: ${selfName(ctx.invokedAs)} doctor`,
  ];
  ctx.stdout(`${next.join("\n")}\n`);
  return 0;
}
