import { homedir } from "node:os";
import { join } from "node:path";

/** Where ptc keeps what it learns between runs: MCPKIT_CACHE_DIR, $XDG_CACHE_HOME/mcpkit or ~/.cache/mcpkit. */
export function ptcCacheDir(env: Record<string, string | undefined>): string {
  const root =
    env.MCPKIT_CACHE_DIR?.trim() ||
    join(env.XDG_CACHE_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".cache"), "mcpkit");
  return join(root, "ptc");
}
