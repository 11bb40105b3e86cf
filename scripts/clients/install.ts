// The real MCP clients `npm run clients` drives, pinned, installed once into a cache folder outside
// node_modules (they are not dependencies of mcpkit): `npm install --prefix <cache>`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Small clients, needed by CI: the Inspector CLI, mcp-remote and the v2 SDK client. */
export const BASE_CLIENTS = {
  inspector: "@modelcontextprotocol/inspector@2.12.0",
  "mcp-remote": "mcp-remote@0.15.1",
  "sdk-v2": "@modelcontextprotocol/client@2.4.0",
} as const;

/** Large agent CLIs, only with --all (hundreds of MB; never in CI). */
export const BIG_CLIENTS = {
  claude: "@anthropic-ai/claude-code@2.1.332",
  gemini: "@google/gemini-cli@0.61.0",
  codex: "@openai/codex@0.171.0",
  opencode: "opencode-ai@1.18.33",
} as const;

/** MCPKIT_CLIENTS_DIR, else $XDG_CACHE_HOME/mcpkit/clients (~/.cache/mcpkit/clients). */
export function cacheDir(): string {
  if (process.env.MCPKIT_CLIENTS_DIR) return process.env.MCPKIT_CLIENTS_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "mcpkit", "clients");
}

function split(spec: string): { name: string; version: string } {
  const at = spec.lastIndexOf("@");
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

function installedVersion(dir: string, name: string): string | undefined {
  const file = join(dir, "node_modules", name, "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
}

/** Installs whichever of `specs` is missing or at another version; returns the cache folder. */
export function ensureInstalled(specs: readonly string[], say: (line: string) => void): string {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest))
    writeFileSync(manifest, `${JSON.stringify({ name: "mcpkit-clients-cache", private: true }, null, 2)}\n`);
  const missing = specs.filter((s) => {
    const { name, version } = split(s);
    return installedVersion(dir, name) !== version;
  });
  if (!missing.length) return dir;
  say(`installing ${missing.join(", ")} into ${dir} (once)`);
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir, ...missing], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, INSPECTOR_SKIP_CLIENT_INSTALL: "1" },
  });
  if (r.status !== 0) throw new Error(`npm install of ${missing.join(" ")} failed (exit ${r.status})`);
  return dir;
}

/** A client's executable in the cache. */
export function bin(dir: string, name: string): string {
  return join(dir, "node_modules", ".bin", name);
}
