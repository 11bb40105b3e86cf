import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";

/** The five names users of the originals start them by. */
export type OriginalName = "pmcp" | "ptc-mcp" | "pty-mcp" | "ptm-mcp" | "trueppm-mcp";

const BUNDLE = resolve(ROOT, "dist/mcpkit.mjs");
const temps: string[] = [];

/** A fresh temp directory, removed by cleanupSeedTemps(). */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mcpkit-seed-${tag}-`));
  temps.push(dir);
  return dir;
}

let binDir: string | undefined;

export function cleanupSeedTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  // Test files may share this module (bun test): the next file makes a fresh bin folder.
  binDir = undefined;
}

/**
 * A bin folder holding links named like the originals (`pty-mcp` → dist/mcpkit.mjs), so a command started
 * through one of them has the original's name as argv0/argv[1], exactly as after an install.
 */
export function originalsBin(): string {
  if (binDir) return binDir;
  binDir = tempDir("bin");
  for (const name of ["pmcp", "ptc-mcp", "pty-mcp", "ptm-mcp", "trueppm-mcp"])
    symlinkSync(BUNDLE, join(binDir, name));
  return binDir;
}

/** Path of the link named like the original. */
export function original(name: OriginalName): string {
  return join(originalsBin(), name);
}

/** baseEnv() with the originals' bin folder first on PATH (so configs can say `"command": "pmcp"`). */
export function seedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = baseEnv(extra);
  env.PATH = [originalsBin(), env.PATH ?? ""].join(delimiter);
  return env;
}

export interface SeedSession {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * Starts `command args` (a config file's command line, or an original's name) over stdio with the
 * originals on PATH and connects an SDK client, as a desktop client would.
 */
export async function connectCommand(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<SeedSession> {
  const env = seedEnv(opts.env ?? {});
  const transport = new StdioClientTransport({
    command: command.includes("/") ? command : whichIn(command, env.PATH!),
    args,
    env,
    cwd: opts.cwd ?? tmpdir(),
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: "seed-example", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(`${command} ${args.join(" ")} did not start: ${(e as Error).message}\n${err}`);
  }
  return { client, stderr: () => err, close: () => client.close() };
}

/** Starts the original by name over stdio. */
export function connectOriginal(
  name: OriginalName,
  args: string[] = [],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<SeedSession> {
  return connectCommand(original(name), args, opts);
}

/** Where PATH finds `command` (the SDK's stdio transport does not search PATH itself on every runtime). */
export function whichIn(command: string, path: string): string {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {}
  }
  return command;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with stdin closed (killed after `timeoutMs`). */
export function runToEnd(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<Finished> {
  const child = spawn(command, args, {
    env: seedEnv(opts.env ?? {}),
    cwd: opts.cwd ?? tmpdir(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  // A command that exits without reading its stdin (curl) closes the pipe under us: not an error here.
  child.stdin.on("error", () => {});
  child.stdin.end(opts.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
  return new Promise((res) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    }),
  );
}

/** Runs a shell line with bash, the originals on PATH. */
export function bash(
  line: string,
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return runToEnd("bash", ["-c", line], opts);
}

export interface Listening {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<number | string | null>;
}

/** Starts a network server and waits for mcpkit's `listening on <url>` line. */
export async function startListening(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<Listening> {
  const child = spawn(command, args, {
    env: seedEnv(opts.env ?? {}),
    cwd: opts.cwd ?? tmpdir(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  const exited = new Promise<number | string | null>((res) =>
    child.once("exit", (code, sig) => res(code ?? sig)),
  );
  const url = await new Promise<string>((res, rej) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    void exited.then((code) => rej(new Error(`${command} exited (${code}) before listening:\n${err}`)));
  });
  return {
    child,
    url,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A port nobody listens on right now (for examples that name a fixed port we must not collide on). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** Text of a tool result's content blocks. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

/** A JSON tool-call line from a seed (`{"name": …, "arguments": …}`), parsed. */
export function toolCall(line: string): { name: string; arguments: Record<string, unknown> } {
  return JSON.parse(line) as { name: string; arguments: Record<string, unknown> };
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
