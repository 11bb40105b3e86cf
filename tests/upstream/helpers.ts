import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
export const EVERYTHING = resolve(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
export const MEMORY = resolve(ROOT, "node_modules/@modelcontextprotocol/server-memory/dist/index.js");
export const FLAKY = resolve(ROOT, "tests/fixtures/upstream/flaky-server.mjs");
export const LAUNCHER = resolve(ROOT, "tests/fixtures/upstream/launcher.mjs");

/** Per-test timeout for tests that start several processes (bun test defaults to 5 s). */
export const SLOW = 20_000;

/** Polls until `check` returns something truthy; conditions, not clocks. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

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

export interface NetworkServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Runs server-everything over `streamableHttp` or `sse` on a free port and waits until it listens. */
export async function startEverything(mode: "streamableHttp" | "sse", port?: number): Promise<NetworkServer> {
  const p = port ?? (await freePort());
  const child = spawn("node", [EVERYTHING, mode], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(p) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`server-everything exited: ${err}`);
    return /listening on port|running on port/i.test(err);
  });
  return {
    child,
    port: p,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Text of the first content item of a tool result. */
export function firstText(result: { content?: unknown }): string {
  const content = result.content as Array<{ type: string; text?: string }> | undefined;
  return content?.find((c) => c.type === "text")?.text ?? "";
}
