import { realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
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

/**
 * The file that link aliases should point at (the binary, or the bundle with its shebang), and the folder
 * the user started it from: for `npm i -g` that is the bin folder on PATH, not the package's dist/.
 */
export function selfExecutable(): { path: string; kind: "binary" | "script"; invokedFrom: string } {
  if (isCompiledBinary())
    return { path: process.execPath, kind: "binary", invokedFrom: dirname(process.execPath) };
  const argv1 = process.argv[1] ?? "";
  return { path: realPath(argv1), kind: "script", invokedFrom: dirname(resolve(argv1)) };
}
