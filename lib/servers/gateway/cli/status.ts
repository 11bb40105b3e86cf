import type { SubcommandContext } from "../../../core/command-spec.ts";
import { type InstanceFile, listInstances, lockDir, readLock } from "../instance-lock.ts";
import { logFilePath } from "../log-file.ts";
import { json, str } from "./output.ts";
import { checkPort } from "./port-check.ts";
import { readGatewayFacts, type ServerFacts } from "./state.ts";

/** The meta-tool's name as a gateway started with these flags would list it (`gateway.health` under pmcp). */
const tool = (ctx: SubcommandContext, verb: string) =>
  ctx.options.toolNames === "dotted" ? `gateway.${verb}` : `gateway_${verb}`;

const liveNote = (ctx: SubcommandContext) =>
  `live state (started/invoked, tool counts, errors) is known only to a running gateway: ask it with ${tool(ctx, "health")}`;

/** The gateways registered in the state dir: the HTTP lock holder and the stdio instances. */
export function runningGateways(options: Record<string, unknown>, env: Record<string, string | undefined>) {
  const dir = lockDir(env, options.lockDir);
  const lock = readLock(dir);
  const row = (f: InstanceFile) => ({
    pid: f.pid ?? null,
    alive: f.alive,
    ...(f.info ? { transport: f.info.transport, started_at: f.info.started_at, cwd: f.info.cwd } : {}),
    ...(f.info?.url ? { url: f.info.url } : {}),
    file: f.path,
  });
  return {
    state_dir: dir,
    log_file: logFilePath(dir),
    http: lock ? row(lock) : null,
    stdio: listInstances(dir).map(row),
  };
}

function credentialText(s: { credentials: ServerFacts["credentials"] }): string {
  if (!s.credentials.length) return "no credentials referenced";
  return s.credentials.map((c) => `${c.name} ${c.present ? "present" : "MISSING"}`).join(", ");
}

/**
 * `mcpkit gateway status`: what the gateway would serve with these flags, read from the same files it
 * reads, without starting any downstream. Values of credentials are never shown, only whether they are set.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const facts = readGatewayFacts(o, ctx.env, ctx.cwd);
  const only = str(o.server);
  const host = str(o.host) ?? "127.0.0.1";
  const port = Number(o.port ?? 3344);
  const http = await checkPort(host, port);
  const gateways = runningGateways(o, ctx.env);
  const lookup = facts.store.lookup();
  const servers = only ? facts.servers.filter((s) => s.name === only) : facts.servers;
  const manifestEntry = only && !servers.length ? facts.manifest?.get(only) : undefined;
  if (only && !servers.length && !manifestEntry) {
    ctx.stderr(`mcpkit: unknown server '${only}': not configured and not in the manifest\n`);
    return 1;
  }
  const manifestInfo = manifestEntry
    ? {
        name: manifestEntry.name,
        state: `manifest-known (not configured; ${tool(ctx, "provision")} starts it)`,
        credentials: manifestEntry.env_var
          ? [{ name: manifestEntry.env_var, present: Boolean(lookup[manifestEntry.env_var]) }]
          : [],
        ...(manifestEntry.env_instructions ? { how_to_get_key: manifestEntry.env_instructions } : {}),
      }
    : undefined;
  const configured = new Set(facts.servers.map((s) => s.name));
  const report = {
    project_root: facts.projectRoot,
    config: {
      sources: facts.config?.sources ?? [],
      ...(facts.configError ? { error: facts.configError } : {}),
    },
    policy: facts.policyError ? { error: facts.policyError } : { file: facts.policy?.source ?? null },
    guidance: facts.guidanceError
      ? { error: facts.guidanceError }
      : { level: facts.guidance?.level, source: facts.guidance?.levelSource },
    manifest: facts.manifestError
      ? { error: facts.manifestError }
      : {
          known: facts.manifest?.size ?? 0,
          not_configured: (facts.manifest?.all() ?? []).filter((m) => !configured.has(m.name)).length,
        },
    builtins: facts.config && facts.servers.length === 0 && !facts.configError ? ["pty", "ptc"] : [],
    servers: servers.map((s) => ({ ...s, state: "configured" })),
    ...(manifestInfo ? { manifest_server: manifestInfo } : {}),
    http: { host, port, ...http },
    gateways,
    live_state: liveNote(ctx),
  };
  const broken = Boolean(
    facts.configError || facts.policyError || facts.manifestError || facts.guidanceError,
  );
  if (o.json) {
    ctx.stdout(json(report));
    return broken ? 1 : 0;
  }
  const lines: string[] = [
    `project: ${facts.projectRoot}`,
    "config files (first definition of a name wins):",
  ];
  for (const src of report.config.sources) {
    lines.push(
      `  ${src.scope.padEnd(7)} ${src.path}  ${src.exists ? `${src.servers} server(s)` : "not present"}`,
    );
  }
  if (facts.configError) lines.push(`  ERROR ${facts.configError}`);
  lines.push(
    `policy: ${facts.policyError ? `ERROR ${facts.policyError}` : (facts.policy?.source ?? "none (everything allowed)")}`,
  );
  lines.push(
    `guidance: ${facts.guidanceError ? `ERROR ${facts.guidanceError}` : `${facts.guidance?.level} (from ${facts.guidance?.levelSource})`}`,
  );
  lines.push(
    `manifest: ${facts.manifestError ? `ERROR ${facts.manifestError}` : `${report.manifest.known} servers known, ${(report.manifest as { not_configured: number }).not_configured} not configured (provisionable)`}`,
  );
  if (manifestInfo) {
    lines.push(`server ${manifestInfo.name}: ${manifestInfo.state}; ${credentialText(manifestInfo)}`);
  } else if (report.builtins.length) {
    lines.push("servers: none configured, so the gateway serves its built-ins in-process: pty, ptc");
  } else {
    lines.push(`servers (${servers.length}${only ? ` of ${facts.servers.length}` : ""} configured):`);
    for (const s of servers) {
      lines.push(
        `  ${s.name}: ${s.transport} ${s.target}; ${s.autoStart ? "autoStart" : "lazy"}${s.allowedByPolicy ? "" : "; DENIED by policy"}; ${credentialText(s)}; from ${s.source}`,
      );
    }
  }
  lines.push(
    http.state === "free"
      ? `http: nothing listens on ${host}:${port}`
      : http.state === "mcpkit"
        ? `http: an mcpkit server answers at ${http.url}`
        : `http: ${host}:${port} is taken by another program (${http.detail})`,
  );
  const g = gateways.http;
  lines.push(
    !g
      ? `running: no HTTP gateway holds ${gateways.state_dir}/gateway.lock`
      : g.alive
        ? `running: HTTP gateway pid ${g.pid}${g.url ? ` at ${g.url}` : " (not listening yet)"}`
        : `running: STALE lock of pid ${g.pid} (gone): ${g.file}; the next HTTP gateway takes it over`,
  );
  const live = gateways.stdio.filter((i) => i.alive);
  const stale = gateways.stdio.length - live.length;
  lines.push(
    `running: ${live.length} stdio gateway(s)${live.length ? `: ${live.map((i) => `pid ${i.pid} in ${i.cwd}`).join(", ")}` : ""}${stale ? `; ${stale} stale instance file(s)` : ""}`,
  );
  lines.push(`log file: ${gateways.log_file}`);
  lines.push(`note: ${liveNote(ctx)}`);
  ctx.stdout(`${lines.join("\n")}\n`);
  return broken ? 1 : 0;
}
