import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { baseEnv, connectHttp, connectStdio, ROOT, type StdioSession, startHttp } from "../helpers/mcpkit.ts";

export const FAULTY = resolve(ROOT, "tests/fixtures/gateway/faulty-server.mjs");
export const EVERYTHING = resolve(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
export const MEMORY = resolve(ROOT, "node_modules/@modelcontextprotocol/server-memory/dist/index.js");

/** A scratch directory with its own HOME and cache, so discovery never reads the real home. */
export function scratch(): {
  dir: string;
  home: string;
  cache: string;
  env: (extra?: Record<string, string>) => Record<string, string>;
} {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-gw-"));
  const home = join(dir, "home");
  const cache = join(dir, "cache");
  mkdirSync(home, { recursive: true });
  return {
    dir,
    home,
    cache,
    env: (extra = {}) =>
      baseEnv({ HOME: home, MCPKIT_CACHE_DIR: cache, XDG_CONFIG_HOME: join(home, ".config"), ...extra }),
  };
}

export function writeJson(path: string, data: unknown): string {
  writeFileSync(path, JSON.stringify(data, null, 2));
  return path;
}

export interface CallOutcome {
  data: Record<string, any>;
  text: string;
  isError: boolean;
  content: Array<Record<string, any>>;
}

/** Calls a meta-tool by verb (gateway_<verb>) and returns its structured and text forms. */
export async function call(
  client: Client,
  verb: string,
  args: Record<string, unknown> = {},
  opts: { dotted?: boolean; onprogress?: (p: unknown) => void; timeout?: number } = {},
): Promise<CallOutcome> {
  const name = opts.dotted ? `gateway.${verb}` : `gateway_${verb}`;
  const r = (await client.callTool(
    { name, arguments: args },
    {
      ...(opts.onprogress ? { onprogress: opts.onprogress } : {}),
      timeout: opts.timeout ?? 60_000,
    },
  )) as any;
  const content = (r.content ?? []) as Array<Record<string, any>>;
  return {
    data: (r.structuredContent ?? {}) as Record<string, any>,
    text: content.map((c) => (c.type === "text" ? c.text : "")).join("\n"),
    isError: r.isError === true,
    content,
  };
}

export async function gateway(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<StdioSession> {
  return connectStdio(["gateway", ...args], { env, cwd });
}

/** A client session on a gateway process, whichever transport carries it. */
export interface GatewaySession {
  client: Client;
  close(): Promise<void>;
}

/** Starts `mcpkit gateway <args>` over stdio, or over Streamable HTTP on a free loopback port. */
export async function openGateway(
  transport: "stdio" | "http",
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<GatewaySession> {
  if (transport === "stdio") return gateway(args, env, cwd);
  const proc = await startHttp(["gateway", ...args, "--transport", "http", "--port", "0"], { env, cwd });
  try {
    const client = await connectHttp(proc.url);
    return {
      client,
      close: async () => {
        await client.close().catch(() => {});
        await proc.stop();
      },
    };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
