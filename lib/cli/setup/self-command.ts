import { realpathSync } from "node:fs";
import { isCompiledBinary, runtime } from "../../core/runtime.ts";

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The command line that starts this very mcpkit again, with absolute paths so a desktop client that
 * does not share the shell's PATH can launch it: the compiled binary alone, or the runtime plus the
 * script it runs (`/usr/bin/node /abs/dist/mcpkit.mjs`).
 */
export function selfCommand(): string[] {
  if (isCompiledBinary()) return [process.execPath];
  const script = realPath(process.argv[1] ?? "");
  if (runtime === "deno") return [process.execPath, "run", "-A", script];
  return [process.execPath, script];
}

/** The file that link aliases should point at: the binary, or the bundle/script with its shebang. */
export function selfExecutable(): { path: string; kind: "binary" | "script" } {
  if (isCompiledBinary()) return { path: process.execPath, kind: "binary" };
  return { path: realPath(process.argv[1] ?? ""), kind: "script" };
}
