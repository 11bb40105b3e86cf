import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { errorMessage } from "../../../core/errors.ts";
import { lockDir, readLock } from "../instance-lock.ts";
import { str } from "./output.ts";

export interface ToolOutcome {
  isError: boolean;
  data: Record<string, unknown>;
  text: string;
}

/** A client session on a running HTTP gateway, calling meta-tools by verb in either naming style. */
export interface GatewayConnection {
  url: string;
  call(verb: string, args: Record<string, unknown>): Promise<ToolOutcome>;
  close(): Promise<void>;
}

/**
 * The running HTTP gateway to talk to: --url, else the URL in the state dir's live lock, else
 * --host:--port (default 127.0.0.1:3344) when an mcpkit server answers GET /healthz there.
 */
export async function findGatewayUrl(ctx: SubcommandContext): Promise<{ url?: string; explicit: boolean }> {
  const o = ctx.options;
  const flag = str(o.url);
  if (flag) return { url: flag, explicit: true };
  const lock = readLock(lockDir(ctx.env, o.lockDir));
  if (lock?.alive && lock.info?.url) return { url: lock.info.url, explicit: false };
  const host = str(o.host) ?? "127.0.0.1";
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const base = `http://${h.includes(":") ? `[${h}]` : h}:${Number(o.port ?? 3344)}`;
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    if (res.ok && /"status"\s*:\s*"ok"/.test(await res.text()))
      return { url: `${base}/mcp`, explicit: false };
  } catch {
    // Nothing listens there.
  }
  return { explicit: false };
}

export async function connectGateway(ctx: SubcommandContext, url: string): Promise<GatewayConnection> {
  const token = str(ctx.options.authToken) ?? str(ctx.env.MCPKIT_AUTH_TOKEN) ?? str(ctx.env.PMCP_AUTH_TOKEN);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name: "mcpkit-gateway-cli", version: "0" });
  try {
    await client.connect(transport);
  } catch (err) {
    throw new Error(`could not connect to the gateway at ${url}: ${errorMessage(err)}`);
  }
  const names = new Set((await client.listTools()).tools.map((t) => t.name));
  return {
    url,
    async call(verb, args) {
      const name = [`gateway_${verb}`, `gateway.${verb}`].find((n) => names.has(n));
      if (!name)
        throw new Error(`the server at ${url} has no gateway_${verb} tool: is it an mcpkit gateway?`);
      const r = (await client.callTool({ name, arguments: args }, { timeout: 600_000 })) as {
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
        content?: Array<{ type: string; text?: string }>;
      };
      return {
        isError: r.isError === true,
        data: r.structuredContent ?? {},
        text: (r.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n"),
      };
    },
    close: () => client.close().catch(() => {}),
  };
}
