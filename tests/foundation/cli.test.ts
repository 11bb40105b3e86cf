import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseEnv, mcpkitCommand, ROOT } from "../helpers/mcpkit.ts";

function run(args: string[], opts: { command?: string; argv0Args?: string[] } = {}) {
  const cmd = mcpkitCommand();
  const command = opts.command ?? cmd.command;
  const fullArgs = opts.command ? args : [...cmd.args, ...args];
  const r = spawnSync(command, fullArgs, { env: baseEnv(), cwd: ROOT, encoding: "utf8", timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("mcpkit CLI", () => {
  it("prints help listing all five servers, exit 0", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const name of ["gateway", "ptc", "pty", "ptm", "trueppm"]) expect(r.stdout).toContain(name);
  });

  it("prints help with no arguments", () => {
    const r = run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: mcpkit");
  });

  it("prints the package version", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default;
    const r = run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("per-server help shows the shared transport flags", () => {
    const r = run(["pty", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--transport");
    expect(r.stdout).toContain("--auth-token");
    expect(r.stdout).toContain("Examples:");
  });

  it("unknown command: one line with a suggestion, exit 2", () => {
    const r = run(["ptyy"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command 'ptyy'.*Did you mean pty\?/);
  });

  it("unknown flag: one line with a suggestion, exit 2", () => {
    const r = run(["pty", "--prot", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("Did you mean --port?");
  });

  it("rejects a bad transport and a bad port with exit 2", () => {
    expect(run(["pty", "--transport", "carrier-pigeon"]).code).toBe(2);
    const bad = run(["pty", "--port", "70000"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("port");
  });

  it("a link named after a seed selects that server", () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-link-"));
    const link = join(dir, "pty-mcp");
    symlinkSync(join(ROOT, "dist/mcpkit.mjs"), link);
    const r = spawnSync(link, ["--help"], { env: baseEnv(), encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: mcpkit pty");
  });
});
