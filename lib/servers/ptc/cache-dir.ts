import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where ptc keeps what it learns between runs: the cacheDir setting (MCPKIT_CACHE_DIR), else
 * $XDG_CACHE_HOME/mcpkit or ~/.cache/mcpkit; `env` supplies only those defaults' bases.
 */
export function ptcCacheDir(env: Record<string, string | undefined>, configured?: string): string {
  const root =
    configured?.trim() ||
    join(env.XDG_CACHE_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".cache"), "mcpkit");
  return join(root, "ptc");
}
