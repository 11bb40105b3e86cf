import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";

// The README's quick start must work exactly as written on a fresh clone. `npm ci` and `npm test` are what
// CI itself runs around this file; every other line is run here, verbatim, by bash in the repo root.

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

function quickStartCommands(): string[] {
  const section = readme.slice(readme.indexOf("## Quick start"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
}

describe("README quick start", () => {
  const commands = quickStartCommands();

  it("installs first and runs the tests last", () => {
    expect(commands[0]).toBe("npm ci");
    expect(commands.at(-1)).toBe("npm test");
    expect(commands.length).toBeGreaterThan(2);
  });

  for (const command of commands.slice(1, -1)) {
    it(`runs as written: ${command.slice(0, 60)}`, () => {
      const r = spawnSync("bash", ["-c", command], {
        cwd: ROOT,
        env: baseEnv(),
        encoding: "utf8",
        timeout: 60_000,
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().length).toBeGreaterThan(0);
      // What each line promises in its comment is visible in its output.
      if (command.includes(" tools pty")) expect(r.stdout).toContain("pty_spawn");
      if (command.includes("echo hello")) expect(r.stdout).toContain("hello");
    }, 90_000);
  }
});
