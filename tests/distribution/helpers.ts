import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { baseEnv } from "../helpers/mcpkit.ts";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion with a minimal environment. */
export function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string; timeout?: number } = {},
): Ran {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? baseEnv(),
    input: opts.input,
    encoding: "utf8",
    timeout: opts.timeout ?? 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run, but keeps this process's event loop free (needed when the child talks to an in-process fake). */
export function runAsync(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeout?: number } = {},
): Promise<Ran> {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? baseEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeout ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const temps: string[] = [];

/** A fresh temp folder, removed by cleanupTemps(). */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mcpkit-${tag}-`));
  temps.push(dir);
  return dir;
}

export function cleanupTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function isBuilt(name: string): boolean {
  return Boolean(SERVER_COMMANDS.find((c) => c.name === name)?.load);
}

/** True when `program --version` runs (ruby, python3, zsh, fish…). */
export function hasProgram(program: string): boolean {
  const r = spawnSync(program, ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

/**
 * A real server to smoke-test a packaged mcpkit with: pty when it has landed (no config needed),
 * else trueppm against its fake REST backend (it is built and needs only two variables).
 */
export interface SmokeServer {
  name: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSmokeServer(): Promise<SmokeServer> {
  if (isBuilt("pty")) return { name: "pty", env: {}, stop: async () => {} };
  const fake = new FakeTrueppm();
  const token = `tppm_${"ab".repeat(32)}`;
  fake.addToken(token);
  await fake.start();
  return {
    name: "trueppm",
    env: { TRUEPPM_API_URL: fake.origin, TRUEPPM_API_TOKEN: token },
    stop: () => fake.close(),
  };
}

/** initialize + tools/list over stdio against `command args…`; returns the tool names. */
export async function listToolNames(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string[]> {
  const transport = new StdioClientTransport({
    command,
    args,
    env: baseEnv(opts.env),
    cwd: opts.cwd,
    stderr: "pipe",
  });
  const client = new Client({ name: "dist-test", version: "0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}
