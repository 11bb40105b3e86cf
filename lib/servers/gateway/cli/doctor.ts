import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { LOCK_FILE, listInstances, lockDir, readInstanceFile, readLock } from "../instance-lock.ts";
import { homeDir } from "../state-dir.ts";
import { json, selfName, str } from "./output.ts";
import { checkPort } from "./port-check.ts";
import { readGatewayFacts } from "./state.ts";

type Level = "OK" | "WARN" | "FAIL";
interface Check {
  name: string;
  status: Level;
  message: string;
}

/**
 * `mcpkit gateway doctor`: every file the gateway reads, the credentials configured servers need, the
 * credential files' permissions and the HTTP port. Prints `[OK|WARN|FAIL] name: message` (PMCP's format)
 * and exits 1 when any check fails. Starts nothing.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const facts = readGatewayFacts(o, ctx.env, ctx.cwd);
  const checks: Check[] = [];
  const add = (name: string, status: Level, message: string) => checks.push({ name, status, message });

  if (facts.configError) add("config", "FAIL", facts.configError);
  else {
    const files = facts.config!.sources.filter((s) => s.exists);
    add(
      "config",
      "OK",
      files.length
        ? `${facts.servers.length} server(s) from ${files.map((f) => f.path).join(", ")}`
        : "no .mcp.json found: the built-in pty and ptc servers are served",
    );
  }
  if (facts.policyError) add("policy", "FAIL", facts.policyError);
  else add("policy", "OK", facts.policy?.source ?? "no policy file (everything allowed)");
  if (facts.manifestError) add("manifest", "FAIL", facts.manifestError);
  else add("manifest", "OK", `${facts.manifest!.size} servers known`);
  if (facts.guidanceError) add("guidance", "FAIL", facts.guidanceError);
  else
    add(
      "guidance",
      "OK",
      `${facts.guidance!.level} (${facts.guidance!.fileExists ? facts.guidance!.file : "no guidance file"})`,
    );

  for (const s of facts.servers) {
    if (!s.allowedByPolicy) continue;
    const missing = s.credentials.filter((c) => !c.present).map((c) => c.name);
    if (missing.length) {
      add(
        `credentials.${s.name}`,
        "FAIL",
        `${s.name} needs ${missing.join(", ")} (never started while unset): ${selfName(ctx.invokedAs)} secrets set ${missing[0]} <value> --scope user`,
      );
    }
  }
  if (!checks.some((c) => c.name.startsWith("credentials."))) {
    add("credentials", "OK", "every configured server has the variables it references");
  }
  const lookup = facts.store.lookup();
  const keyed = (facts.manifest?.all() ?? []).filter((m) => m.env_var);
  const ready = keyed.filter((m) => lookup[m.env_var!]);
  add(
    "manifest-keys",
    "OK",
    `${keyed.length} manifest servers need a key; ${ready.length} have it${ready.length ? ` (${ready.map((m) => m.name).join(", ")})` : ""}`,
  );

  for (const file of [facts.store.userPath, facts.store.projectPath]) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077)
      add(
        "secrets-file",
        "WARN",
        `${file} is readable by others (mode ${mode.toString(8)}): chmod 600 ${file}`,
      );
  }

  const host = str(o.host) ?? "127.0.0.1";
  const port = Number(o.port ?? 3344);
  const http = await checkPort(host, port);
  if (http.state === "free")
    add("http", "OK", `${host}:${port} is free for ${selfName(ctx.invokedAs)} -t http`);
  else if (http.state === "mcpkit") add("http", "OK", `an mcpkit server answers at ${http.url}`);
  else
    add(
      "http",
      "FAIL",
      `${host}:${port} is taken by another program (${http.detail}): ${selfName(ctx.invokedAs)} -t http would fail; pass --port`,
    );

  const dir = lockDir(ctx.env, o.lockDir);
  const lock = readLock(dir);
  if (!lock) add("lock", "OK", `no HTTP gateway holds ${join(dir, LOCK_FILE)}`);
  else if (lock.alive && lock.info)
    add(
      "lock",
      "OK",
      `HTTP gateway pid ${lock.pid} holds ${lock.path}${lock.info.url ? ` and serves ${lock.info.url}` : " (not listening yet)"}`,
    );
  else if (lock.alive)
    add(
      "lock",
      "WARN",
      `${lock.path} is held by pid ${lock.pid} but is not mcpkit's format: rm ${lock.path}`,
    );
  else
    add(
      "lock",
      "WARN",
      `stale lock: ${lock.path} names pid ${lock.pid ?? "(none)"}, which is gone; the next HTTP gateway takes it over with a warning, or remove it: rm ${lock.path}`,
    );
  const stale = listInstances(dir).filter((i) => !i.alive);
  if (stale.length)
    add(
      "instances",
      "WARN",
      `${stale.length} stale stdio instance file(s) of gone pids (${stale.map((i) => i.pid ?? "?").join(", ")}); the next stdio gateway removes them, or: rm ${stale.map((i) => i.path).join(" ")}`,
    );
  const pmcpLock = join(homeDir(ctx.env), ".pmcp", "gateway.lock");
  const pmcp = readInstanceFile(pmcpLock);
  if (pmcp?.alive) {
    add(
      "pmcp-lock",
      "WARN",
      `PMCP runs (pid ${pmcp.pid}, ${pmcpLock}): it and this gateway would start the same downstream servers`,
    );
  } else if (pmcp) {
    add("pmcp-lock", "WARN", `${pmcpLock} was left by a PMCP that is gone: rm ${pmcpLock}`);
  }

  const failed = checks.some((c) => c.status === "FAIL");
  if (o.json) ctx.stdout(json({ ok: !failed, project_root: facts.projectRoot, checks }));
  else {
    ctx.stdout(`${checks.map((c) => `[${c.status}] ${c.name}: ${c.message}`).join("\n")}\n`);
    if (failed) ctx.stdout(`Fix the FAIL lines above and run ${selfName(ctx.invokedAs)} doctor again.\n`);
  }
  return failed ? 1 : 0;
}
