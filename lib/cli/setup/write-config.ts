import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";

/** 20260131T235959Z-style stamp for backup names (sorts by time, safe in file names). */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * Writes a config file: copies the old one to `<file>.mcpkit-backup-<stamp>` first, then replaces it
 * through a temporary file so a crash never leaves half a config. New files are private (0600): they
 * may hold tokens.
 */
export function writeConfig(path: string, text: string, now = new Date()): { backup?: string } {
  mkdirSync(dirname(path), { recursive: true });
  let backup: string | undefined;
  let mode = 0o600;
  if (existsSync(path)) {
    mode = statSync(path).mode & 0o777;
    backup = `${path}.mcpkit-backup-${stamp(now)}`;
    for (let n = 1; existsSync(backup); n++) backup = `${path}.mcpkit-backup-${stamp(now)}-${n}`;
    copyFileSync(path, backup);
  }
  const tmp = `${path}.mcpkit-tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
  return { backup };
}
