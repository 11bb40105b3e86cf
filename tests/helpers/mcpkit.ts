import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

/**
 * The command that runs mcpkit under test. `MCPKIT_CMD` picks another way of running it
 * ("bun main.ts", "deno run -A main.ts", "dist/mcpkit"); the default is the Node bundle.
 */
export function mcpkitCommand(): { command: string; args: string[] } {
  const custom = process.env.MCPKIT_CMD?.trim();
  if (custom) {
    const [command, ...args] = custom.split(/\s+/);
    return { command: command!, args };
  }
  return { command: "node", args: [resolve(ROOT, "dist/mcpkit.mjs")] };
}

/** A minimal environment for children: enough to run, none of the test runner's secrets. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "TERM", "USER", "SHELL"]) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

export interface StdioSession {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  pid: number | null;
  close(): Promise<void>;
}

/** Starts `mcpkit <args>` over stdio and connects an SDK client to it. */
export async function connectStdio(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; clientName?: string } = {},
): Promise<StdioSession> {
  const cmd = mcpkitCommand();
  const transport = new StdioClientTransport({
    command: cmd.command,
    args: [...cmd.args, ...args],
    env: opts.env ?? baseEnv(),
    cwd: opts.cwd ?? ROOT,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: opts.clientName ?? "mcpkit-test", version: "0.0.0" });
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => err,
    pid: transport.pid,
    close: () => client.close(),
  };
}

export interface HttpProcess {
  child: ChildProcess;
  /** The announced URL (`…/mcp` or `…/sse`). */
  url: string;
  /** Base origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** Runs `mcpkit <args>` as a network server (pass `--transport http|sse --port 0`) and waits for its URL. */
export async function startHttp(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<HttpProcess> {
  const cmd = mcpkitCommand();
  const child = spawn(cmd.command, [...cmd.args, ...args], {
    env: opts.env ?? baseEnv(),
    cwd: opts.cwd ?? ROOT,
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
    void exited.then((code) => rej(new Error(`mcpkit exited (${code}) before listening:\n${err}`)));
  });
  return {
    child,
    url,
    origin: new URL(url).origin,
    stderr: () => err,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Connects an SDK client to a running HTTP server over Streamable HTTP or legacy SSE. */
export async function connectHttp(
  url: string,
  opts: { token?: string; sse?: boolean } = {},
): Promise<Client> {
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const transport = opts.sse
    ? new SSEClientTransport(new URL(url), {
        requestInit: { headers },
        eventSourceInit: {
          fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers ?? {}), ...headers } }),
        },
      })
    : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: "mcpkit-test", version: "0.0.0" });
  await client.connect(transport);
  return client;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (no timing assertions). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, stepMs = 25): Promise<T> {
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

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
