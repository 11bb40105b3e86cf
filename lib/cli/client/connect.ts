import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { McpkitError, NotBuiltError, UsageError } from "../../core/errors.ts";
import { redactor } from "../../core/redact.ts";
import { isSecretName, parseEnvPairs } from "../setup/env-pairs.ts";
import { selfCommand } from "../setup/self-command.ts";
import { VERSION } from "../version.ts";

export interface TargetFlags {
  env: string[];
  url?: string;
  authToken?: string;
}

export interface Connected {
  client: Client;
  /** Who we talk to, for messages: "pty" or the URL. */
  label: string;
  close(): Promise<void>;
}

/** The child's last meaningful stderr line, which says why it could not start. */
function lastLine(stderr: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1)?.replace(/^mcpkit:\s*/, "");
}

function resolveSpec(server: string, commands: readonly ServerCommandSpec[]): ServerCommandSpec {
  const spec = commands.find((c) => c.name === server || c.aliases.includes(server));
  if (!spec)
    throw new UsageError(`unknown server "${server}"; pick one of ${commands.map((c) => c.name).join(", ")}`);
  if (!spec.load) throw new NotBuiltError(spec.name);
  return spec;
}

/** Starts `mcpkit <server>` as a stdio child (our own executable) and connects an SDK client. */
async function connectChild(
  server: string,
  flags: TargetFlags,
  commands: readonly ServerCommandSpec[],
): Promise<Connected> {
  const spec = resolveSpec(server, commands);
  const extra = parseEnvPairs(flags.env);
  for (const [k, v] of Object.entries(extra)) if (isSecretName(k)) redactor.addSecret(v);
  const [command, ...args] = selfCommand();
  const transport = new StdioClientTransport({
    command: command!,
    args: [...args, spec.name, "--transport", "stdio", "--log-level", "warn"],
    env: { ...(process.env as Record<string, string>), ...extra },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const client = new Client({ name: "mcpkit-cli", version: VERSION });
  try {
    await client.connect(transport);
  } catch (err) {
    await transport.close().catch(() => {});
    // Give the child's last words a moment to arrive; they are the useful part.
    await new Promise((r) => setTimeout(r, 50));
    const why = lastLine(stderr) ?? (err as Error).message;
    throw new McpkitError(`mcpkit ${spec.name} did not start: ${why}`, 1);
  }
  return { client, label: spec.name, close: () => client.close() };
}

/** Connects to a running server: Streamable HTTP, or legacy SSE when the URL ends in /sse. */
async function connectUrl(url: string, flags: TargetFlags): Promise<Connected> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError("--url is not a URL; expected e.g. http://127.0.0.1:3346/mcp");
  }
  const token = flags.authToken ?? process.env.MCPKIT_AUTH_TOKEN;
  redactor.addSecret(token);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const transport = /\/sse\/?$/.test(parsed.pathname)
    ? new SSEClientTransport(parsed, {
        requestInit: { headers },
        eventSourceInit: {
          fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers ?? {}), ...headers } }),
        },
      })
    : new StreamableHTTPClientTransport(parsed, { requestInit: { headers } });
  const client = new Client({ name: "mcpkit-cli", version: VERSION });
  try {
    await client.connect(transport);
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0];
    const hint = /401|unauthorized/i.test(msg ?? "") ? " (pass --auth-token or set MCPKIT_AUTH_TOKEN)" : "";
    throw new McpkitError(`could not connect to ${parsed.origin}${parsed.pathname}: ${msg}${hint}`, 1);
  }
  return { client, label: parsed.href, close: () => client.close() };
}

/** A client for `server` (spawned) or for `--url` (already running). */
export async function connectTarget(
  server: string | undefined,
  flags: TargetFlags,
  commands: readonly ServerCommandSpec[],
): Promise<Connected> {
  if (flags.url) {
    if (flags.env.length)
      throw new UsageError("--env applies to a spawned server, not --url; set it where that server runs");
    return connectUrl(flags.url, flags);
  }
  if (!server)
    throw new UsageError(`name a server (${commands.map((c) => c.name).join(", ")}) or pass --url`);
  return connectChild(server, flags, commands);
}
