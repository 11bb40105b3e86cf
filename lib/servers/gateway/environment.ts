import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export type Platform = "mac" | "wsl" | "linux" | "windows";

export function detectPlatform(): Platform {
  if (process.platform === "darwin") return "mac";
  if (process.platform === "win32") return "windows";
  try {
    if (/microsoft|wsl/i.test(readFileSync("/proc/version", "utf8"))) return "wsl";
  } catch {
    // No /proc: plain Linux (or a BSD) is the best guess.
  }
  return "linux";
}

/** Where an executable lives on PATH, without running it. */
export function which(name: string, pathVar: string | undefined): string | undefined {
  const exts = process.platform === "win32" ? ["", ".exe", ".cmd", ".bat"] : [""];
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}
