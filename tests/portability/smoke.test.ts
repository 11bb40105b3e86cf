import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import pkg from "../../package.json" with { type: "json" };
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";

const bin = (name: string) => resolve(ROOT, "node_modules/.bin", name);
const binary = process.env.MCPKIT_BINARY ?? resolve(ROOT, "dist/mcpkit");

/** Each way of running mcpkit, with the way to run the echo test server on the same runtime. */
const WAYS: { name: string; mcpkit: string[]; echo?: string[] }[] = [
  { name: "node bundle", mcpkit: ["node", "dist/mcpkit.mjs"], echo: ["node", "dist/test/echo-cli.mjs"] },
  { name: "bun source", mcpkit: [bin("bun"), "main.ts"], echo: [bin("bun"), "tests/fixtures/echo-cli.ts"] },
  {
    name: "deno source",
    mcpkit: [bin("deno"), "run", "-A", "--quiet", "main.ts"],
    echo: [bin("deno"), "run", "-A", "--quiet", "tests/fixtures/echo-cli.ts"],
  },
];
if (existsSync(binary)) WAYS.push({ name: "compiled binary", mcpkit: [binary] });

// The first server that has landed is the smoke target for every runtime, the binary included.
const builtServer = SERVER_COMMANDS.find((c) => c.load)?.name;

async function listTools(command: string[], args: string[]): Promise<string[]> {
  const transport = new StdioClientTransport({
    command: command[0]!,
    args: [...command.slice(1), ...args],
    env: baseEnv(),
    cwd: ROOT,
    stderr: "pipe",
  });
  const client = new Client({ name: "smoke", version: "0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe.each(WAYS)("$name", (way) => {
  it("prints the version", () => {
    const r = spawnSync(way.mcpkit[0]!, [...way.mcpkit.slice(1), "--version"], {
      cwd: ROOT,
      env: baseEnv(),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("answers initialize + tools/list through the transport layer", async () => {
    if (builtServer) {
      expect((await listTools(way.mcpkit, [builtServer])).length).toBeGreaterThan(0);
    } else if (way.echo) {
      expect(await listTools(way.echo, ["echo"])).toContain("echo");
    } else {
      // The compiled binary holds only the real servers; with none landed its help must still work.
      const r = spawnSync(way.mcpkit[0]!, ["--help"], { encoding: "utf8" });
      expect(r.stdout).toContain("Usage: mcpkit");
    }
  });
});
