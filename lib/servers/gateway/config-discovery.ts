import { existsSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { isNode, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../../core/errors.ts";
import { parseMcpJson } from "../../upstream/parse-mcp-json.ts";
import type { UpstreamSpec } from "../../upstream/specs.ts";
import { homeDir } from "./state-dir.ts";

export interface ConfigSource {
  path: string;
  scope: "project" | "user" | "custom";
  exists: boolean;
  servers: number;
}

export interface DiscoveredConfig {
  /** First definition of a name wins: project, then user files, then --config. */
  specs: UpstreamSpec[];
  autoStart: Set<string>;
  disableAutoStart: Set<string>;
  sources: ConfigSource[];
  /** Which file each server's (winning) definition came from. */
  origins: Map<string, string>;
  projectRoot: string;
}

const ROOT_MARKERS = [".mcp.json", ".git", "package.json", "pyproject.toml"];

/** Nearest ancestor of `cwd` holding a project marker; the walk stops at $HOME and the temp dir. */
export function findProjectRoot(cwd: string, env: Record<string, string | undefined>): string {
  const stops = new Set([resolve(homeDir(env)), resolve(tmpdir()), "/"]);
  let dir = resolve(cwd);
  for (;;) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (stops.has(dir)) return resolve(cwd);
    const up = dirname(dir);
    if (up === dir) return resolve(cwd);
    dir = up;
  }
}

/** Entries that would launch the gateway itself (a loop), by name or by command. */
function isSelfReference(spec: UpstreamSpec): boolean {
  if (spec.name === "pmcp" || spec.name === "mcpkit-gateway") return true;
  if (spec.transport !== "stdio") return false;
  const cmd = basename(spec.command).replace(/\.(exe|cmd)$/i, "");
  if (cmd === "pmcp" || cmd === "mcp-gateway") return true;
  if (cmd === "mcpkit" && (spec.args[0] === "gateway" || spec.args[0] === "pmcp")) return true;
  if (["uvx", "pipx", "uv", "python", "python3"].includes(cmd) && spec.args.includes("pmcp")) return true;
  return false;
}

/** Which line a dotted path such as `mcpServers.db.args[0]` starts on, when the text is parseable. */
function lineOf(text: string, where: string): number | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const path = where
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function jsonSyntaxLine(text: string, err: Error): number {
  const lc = /line (\d+)/i.exec(err.message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/i.exec(err.message);
  if (pos) return text.slice(0, Number(pos[1])).split("\n").length;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return doc.errors[0] ? lines.linePos(doc.errors[0].pos[0]).line : 1;
}

const listOfNames = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** Reads one .mcp.json: servers via lib/upstream's parser, plus PMCP's autoStart lists; errors carry a line. */
function readConfigFile(file: string): { specs: UpstreamSpec[]; autoStart: string[]; disable: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`config ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message
      .replace(/ in JSON at position \d+.*$/, "")
      .replace(/\s*\(line.*$/, "");
    throw new ConfigError(`config ${file}:${jsonSyntaxLine(text, e as Error)}: invalid JSON (${reason})`);
  }
  let specs: UpstreamSpec[];
  try {
    specs = parseMcpJson(text, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const rest = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
    const where = rest.split(": ")[0] ?? "";
    const line = lineOf(text, where) ?? 1;
    throw new ConfigError(`config ${file}:${line}: ${rest.replace(/ \(line \d+\)$/, "")}`);
  }
  for (const key of ["autoStart", "disableAutoStart"]) {
    if (raw[key] !== undefined && !Array.isArray(raw[key])) {
      throw new ConfigError(
        `config ${file}:${lineOf(text, key) ?? 1}: ${key}: expected an array of server names`,
      );
    }
  }
  return { specs, autoStart: listOfNames(raw.autoStart), disable: listOfNames(raw.disableAutoStart) };
}

/**
 * PMCP's discovery order: `<project>/.mcp.json`, `~/.mcp.json`, `~/.claude/.mcp.json`, then --config /
 * PMCP_CONFIG. The first definition of a server name wins; autoStart lists are unioned. An explicit
 * config that does not exist is an error; a malformed file anywhere stops start-up.
 */
export function discoverConfig(opts: {
  cwd: string;
  env: Record<string, string | undefined>;
  explicit?: string;
  project?: string;
}): DiscoveredConfig {
  const projectRoot = opts.project ? resolve(opts.project) : findProjectRoot(opts.cwd, opts.env);
  const home = homeDir(opts.env);
  const candidates: Array<{ path: string; scope: ConfigSource["scope"] }> = [
    { path: join(projectRoot, ".mcp.json"), scope: "project" },
    { path: join(home, ".mcp.json"), scope: "user" },
    { path: join(home, ".claude", ".mcp.json"), scope: "user" },
  ];
  if (opts.explicit) {
    const path = resolve(opts.cwd, opts.explicit);
    if (!existsSync(path)) throw new ConfigError(`config ${path}: file not found (--config / PMCP_CONFIG)`);
    candidates.push({ path, scope: "custom" });
  }
  const seenPaths = new Set<string>();
  const out: DiscoveredConfig = {
    specs: [],
    autoStart: new Set(),
    disableAutoStart: new Set(),
    sources: [],
    origins: new Map(),
    projectRoot,
  };
  const names = new Set<string>();
  for (const c of candidates) {
    const path = resolve(c.path);
    if (seenPaths.has(path)) continue;
    seenPaths.add(path);
    const exists = existsSync(path) && statSync(path).isFile();
    if (!exists) {
      out.sources.push({ path, scope: c.scope, exists: false, servers: 0 });
      continue;
    }
    const file = readConfigFile(path);
    let count = 0;
    for (const spec of file.specs) {
      if (names.has(spec.name) || isSelfReference(spec)) continue;
      names.add(spec.name);
      out.specs.push(spec);
      out.origins.set(spec.name, path);
      count++;
    }
    for (const n of file.autoStart) out.autoStart.add(n);
    for (const n of file.disable) out.disableAutoStart.add(n);
    out.sources.push({ path, scope: c.scope, exists: true, servers: count });
  }
  return out;
}
