import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import { completionScript } from "../../lib/cli/completion.ts";
import { buildProgram } from "../../lib/cli/program.ts";
import { ROOT } from "../helpers/mcpkit.ts";
import { cleanupTemps, hasProgram, run, tempDir } from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

afterAll(cleanupTemps);

const MCPKIT = resolve(ROOT, "dist/mcpkit.mjs");
const COMMANDS = [
  ...SERVER_COMMANDS.map((c) => c.name),
  "tools",
  "call",
  "setup",
  "link-aliases",
  "completion",
];

/** Through the CLI for bash (the real path); in-process for the others, which is the same generator. */
function script(shell: string): string {
  if (shell !== "bash") return completionScript(shell, buildProgram());
  const r = run("node", [MCPKIT, "completion", shell]);
  expect(r.code).toBe(0);
  return r.stdout;
}

let bashScript = "";
const bash = () => (bashScript ||= script("bash"));

describe("mcpkit completion", () => {
  it(
    "bash: every command and flag from the table, and `bash -n` accepts it",
    () => {
      const text = bash();
      for (const c of COMMANDS) expect(text).toContain(c);
      expect(text).toContain("--transport");
      expect(text).toContain('compgen -W "stdio http sse"');
      expect(text).toContain("complete -o default -F _mcpkit mcpkit pmcp");
      const file = join(tempDir("completion"), "mcpkit.bash");
      writeFileSync(file, text);
      const check = run("bash", ["-n", file]);
      expect(check.stderr).toBe("");
      expect(check.code).toBe(0);
    },
    T,
  );

  it(
    "bash: completes subcommands and a flag's choices when sourced",
    () => {
      const file = join(tempDir("completion"), "mcpkit.bash");
      writeFileSync(file, bash());
      const complete = (words: string) =>
        run("bash", [
          "-c",
          `source ${file}; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _mcpkit; echo "\${COMPREPLY[*]}"`,
        ]).stdout.trim();
      expect(complete("mcpkit pt").split(" ").sort()).toEqual(["ptc", "ptm", "pty"]);
      expect(complete("mcpkit pty --transport ''").split(" ")).toEqual(["stdio", "http", "sse"]);
      expect(complete("pty-mcp --log-f")).toBe("--log-format");
      expect(complete("mcpkit setup --client c").split(" ").sort()).toEqual([
        "claude-code",
        "claude-desktop",
        "codex",
        "cursor",
      ]);
    },
    T,
  );

  it(
    "zsh: a #compdef script with _arguments per command",
    () => {
      const text = script("zsh");
      expect(text.startsWith("#compdef mcpkit pmcp")).toBe(true);
      for (const c of COMMANDS) expect(text).toContain(`'${c}:`);
      expect(text).toContain("_arguments");
      if (hasProgram("zsh")) {
        const file = join(tempDir("completion"), "_mcpkit");
        writeFileSync(file, text);
        expect(run("zsh", ["-n", file]).code).toBe(0);
      }
    },
    T,
  );

  it(
    "fish: complete lines for commands, flags and alias links",
    () => {
      const text = script("fish");
      for (const c of COMMANDS) expect(text).toContain(`-a ${c} `);
      expect(text).toContain(
        "complete -c mcpkit -n '__fish_seen_subcommand_from pty pty-mcp' -s t -l transport",
      );
      expect(text).toContain("complete -c pty-mcp -s t -l transport -x -a 'stdio http sse'");
      if (hasProgram("fish")) {
        const file = join(tempDir("completion"), "mcpkit.fish");
        writeFileSync(file, text);
        expect(run("fish", ["--no-execute", file]).code).toBe(0);
      }
    },
    T,
  );

  it(
    "an unknown shell is a usage error naming the choices",
    () => {
      const r = run("node", [MCPKIT, "completion", "powershell"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("bash, zsh, fish");
    },
    T,
  );
});
