import type { z } from "zod";
import { ConfigError } from "../core/errors.ts";

/** `mcpServers.db.args[0]` from a zod-style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** One ConfigError line: file, where in the file, the reason, and the line when we know it. */
export function configError(file: string, where: string, reason: string, line?: number): ConfigError {
  const at = line !== undefined ? ` (line ${line})` : "";
  return new ConfigError(`${file}: ${where ? `${where}: ` : ""}${reason}${at}`);
}

/** Shortens zod's "Invalid input: expected string, received number" to the useful part. */
export function issueReason(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, "");
}

/** True when `url` parses, or holds a `${VAR}` that only expansion can fill in. */
export function plausibleUrl(url: string): boolean {
  if (url.includes("${")) return true;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
