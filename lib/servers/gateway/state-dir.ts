import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

/** Where the gateway keeps caches: --cache-dir, MCPKIT_CACHE_DIR, $XDG_CACHE_HOME/mcpkit or ~/.cache/mcpkit. */
export function cacheDir(env: Env, flag?: unknown): string {
  if (typeof flag === "string" && flag.trim()) return flag.trim();
  if (env.MCPKIT_CACHE_DIR?.trim()) return env.MCPKIT_CACHE_DIR.trim();
  const base = env.XDG_CACHE_HOME?.trim() || join(homeDir(env), ".cache");
  return join(base, "mcpkit");
}

export function homeDir(env: Env): string {
  return env.HOME?.trim() || env.USERPROFILE?.trim() || homedir();
}

/** PMCP-compatible user config dir ($XDG_CONFIG_HOME/pmcp or ~/.config/pmcp), home of the user env file. */
export function userConfigDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(homeDir(env), ".config");
  return join(base, "pmcp");
}
