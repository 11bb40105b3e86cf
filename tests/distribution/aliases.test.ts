import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import pkg from "../../package.json" with { type: "json" };
import { ROOT } from "../helpers/mcpkit.ts";
import { cleanupTemps, run, tempDir } from "./helpers.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

afterAll(cleanupTemps);

const MCPKIT = resolve(ROOT, "dist/mcpkit.mjs");
const ALIASES = SERVER_COMMANDS.flatMap((c) => c.aliases.map((a) => [a, c.name] as const));

describe("mcpkit link-aliases (Node bundle)", () => {
  it(
    "without --dir, links next to the command that was run (the bin folder of a global install)",
    () => {
      const bin = tempDir("aliases-bin");
      symlinkSync(MCPKIT, join(bin, "mcpkit"));
      const r = run(join(bin, "mcpkit"), ["link-aliases"]);
      expect(r.code, r.stderr).toBe(0);
      expect(realpathSync(join(bin, "trueppm-mcp"))).toBe(realpathSync(MCPKIT));
      expect(r.stdout).toContain("is not on PATH");
    },
    T,
  );

  it(
    "links every alias to the bundle, and each link selects its server",
    () => {
      const dir = tempDir("aliases");
      const r = run("node", [MCPKIT, "link-aliases", "--dir", dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("linked pmcp, ptc-mcp, pty-mcp, ptm-mcp, trueppm-mcp");
      for (const [alias, server] of ALIASES) {
        const link = join(dir, alias);
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(realpathSync(link)).toBe(realpathSync(MCPKIT));
        const help = run(link, ["--help"]);
        expect(help.code).toBe(0);
        expect(help.stdout).toContain(`Usage: mcpkit ${server}`);
      }
    },
    T,
  );

  it(
    "is idempotent, refuses to clobber a foreign file, replaces it with --force",
    () => {
      const dir = tempDir("aliases");
      expect(run("node", [MCPKIT, "link-aliases", "--dir", dir]).code).toBe(0);
      const again = run("node", [MCPKIT, "link-aliases", "--dir", dir]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("already linked");

      const other = tempDir("aliases");
      writeFileSync(join(other, "pty-mcp"), "#!/bin/sh\necho old\n");
      const refused = run("node", [MCPKIT, "link-aliases", "--dir", other]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/pty-mcp already exists; pass --force/);
      expect(readFileSync(join(other, "pty-mcp"), "utf8")).toContain("echo old");
      const forced = run("node", [MCPKIT, "link-aliases", "--dir", other, "--force"]);
      expect(forced.code).toBe(0);
      expect(run(join(other, "pty-mcp"), ["--help"]).stdout).toContain("Usage: mcpkit pty");
    },
    T,
  );

  it(
    "writes .cmd shims on Windows that name the alias (its subcommand, with the alias's defaults)",
    async () => {
      const { linkAliases } = await import("../../lib/cli/aliases.ts");
      const dir = tempDir("aliases-win");
      const argv1 = process.argv[1];
      process.argv[1] = MCPKIT;
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        linkAliases({ dir, force: false, commands: SERVER_COMMANDS, platform: "win32" });
      } finally {
        process.stdout.write = write;
        process.argv[1] = argv1;
      }
      for (const [alias] of ALIASES) {
        const shim = readFileSync(join(dir, `${alias}.cmd`), "utf8");
        expect(shim).toBe(`@echo off\r\nnode "${realpathSync(MCPKIT)}" ${alias} %*\r\n`);
      }
      expect(existsSync(join(dir, "pty-mcp"))).toBe(false);
    },
    T,
  );
});

describe("npm bins (package.json) for the original names", () => {
  it("package.json installs mcpkit plus one bin per alias in the command table, each a shipped file", () => {
    const bins = pkg.bin as Record<string, string>;
    expect(Object.keys(bins).sort()).toEqual(["mcpkit", ...ALIASES.map(([a]) => a)].sort());
    expect(bins.mcpkit).toBe("dist/mcpkit.mjs");
    for (const [alias] of ALIASES) {
      const file = bins[alias]!;
      expect(file).toBe(`packaging/npm-bin/${alias}.mjs`);
      expect(pkg.files.some((f) => file.startsWith(f))).toBe(true);
      const text = readFileSync(join(ROOT, file), "utf8");
      expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
      expect(text).toContain('import "../../dist/mcpkit.mjs";');
      accessSync(join(ROOT, file), constants.X_OK);
    }
  });

  it(
    "POSIX: npm's symlink <bin>/pty-mcp → the bin file selects its server",
    () => {
      const dir = tempDir("npm-bin-links");
      for (const [alias, server] of ALIASES) {
        const link = join(dir, alias);
        symlinkSync(join(ROOT, (pkg.bin as Record<string, string>)[alias]!), link);
        const help = run(link, ["--help"]);
        expect(help.code, help.stderr).toBe(0);
        expect(help.stdout).toContain(`Usage: mcpkit ${server}`);
      }
    },
    T,
  );

  it(
    "Windows: npm's own cmd-shim runs `node <bin file>`, and the bin file's name selects the server",
    async () => {
      // npm writes pty-mcp.cmd, pty-mcp.ps1 and a sh shim (for Git Bash/Cygwin) with its bundled cmd-shim.
      // All three run `node "<path of the bin file>" %*`: the link's own name never reaches mcpkit, which
      // is why each alias has a file of its own instead of pointing at dist/mcpkit.mjs. The sh shim runs
      // here, so the Windows invocation is exercised for real on POSIX.
      const npmRoot = run("npm", ["root", "-g"]).stdout.trim();
      const cmdShim = createRequire(join(npmRoot, "npm", "package.json"))("cmd-shim") as (
        from: string,
        to: string,
      ) => Promise<void>;
      const dir = tempDir("npm-cmd-shims");
      for (const [alias, server] of ALIASES) {
        const shim = join(dir, alias);
        await cmdShim(join(ROOT, (pkg.bin as Record<string, string>)[alias]!), shim);
        const cmd = readFileSync(`${shim}.cmd`, "utf8");
        expect(cmd).toContain(`\\packaging\\npm-bin\\${alias}.mjs" %*`);
        expect(readFileSync(`${shim}.ps1`, "utf8")).toContain(`/packaging/npm-bin/${alias}.mjs`);
        const help = run(shim, ["--help"]);
        expect(help.code, help.stderr).toBe(0);
        expect(help.stdout).toContain(`Usage: mcpkit ${server}`);
      }
      // The same shim pointed straight at the bundle loses the name: plain `mcpkit` help, no server.
      await cmdShim(MCPKIT, join(dir, "direct-pty-mcp"));
      const direct = run(join(dir, "direct-pty-mcp"), ["--help"]);
      expect(direct.stdout).toMatch(/^Usage: mcpkit \[options\] \[command\]/);
    },
    T,
  );
});
