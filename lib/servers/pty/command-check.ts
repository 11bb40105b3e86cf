import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

const SHELL_WORDS = new Set(
  (
    ". : [ [[ { } ! alias bg bind break builtin caller case cd command compgen complete continue coproc declare " +
    "dirs disown do done echo elif else enable esac eval exec exit export false fc fg fi for function getopts hash " +
    "help history if in jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return " +
    "select set shift shopt source suspend test then time times trap true type typeset ulimit umask unalias unset " +
    "until wait while"
  ).split(" "),
);

/** The first word of a simple command line, or undefined when the line is not that simple. */
export function firstWord(command: string): string | undefined {
  const m = /^\s*([A-Za-z0-9_./+,:@%~-]+)(?=$|[\s;&|<>()])/.exec(command);
  if (!m) return undefined;
  const word = m[1]!;
  if (word.includes("=") || SHELL_WORDS.has(word)) return undefined;
  return word;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Names the program a command line starts with when it plainly does not exist (not a shell word, not
 * on PATH, not an executable path), so spawn can refuse it instead of returning a session that dies
 * with 127.
 */
export function missingProgram(
  command: string,
  env: Record<string, string>,
  cwd: string,
): string | undefined {
  const word = firstWord(command);
  if (!word || word.startsWith("~")) return undefined;
  if (word.includes("/")) return isExecutableFile(resolve(cwd, word)) ? undefined : word;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutableFile(join(dir, word))) return undefined;
  }
  return word;
}

/** Working directory inferred from an absolute-path program (pty-mcp behaviour). */
export function inferredCwd(command: string): string | undefined {
  const word = firstWord(command);
  if (!word || !isAbsolute(word)) return undefined;
  return dirname(word);
}

export function findOnPath(program: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir && isExecutableFile(join(dir, program))) return join(dir, program);
  }
  return undefined;
}
