import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect } from "vitest";
import { mcpkitCommand, ROOT } from "../helpers/mcpkit.ts";

/**
 * The two protocol eras a v2 SDK client can speak: the 2025 `initialize` handshake (its default) and
 * 2026-07-28 (pinned: `server/discover`, then stateless requests with the `_meta` envelope).
 */
export type Era = "2025" | "2026-07-28";
export const ERAS: readonly Era[] = ["2025", "2026-07-28"];

function eraClient(era: Era): Client {
  return new Client(
    { name: "mcpkit-era-test", version: "0.0.0" },
    era === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
}

/** Spawns `mcpkit <args>` and connects a client of `era` over stdio (a pinned client probes in a sibling first). */
export async function connectStdioEra(
  era: Era,
  args: string[],
  env: Record<string, string>,
): Promise<Client> {
  const cmd = mcpkitCommand();
  const transport = new StdioClientTransport({
    command: cmd.command,
    args: [...cmd.args, ...args],
    env,
    cwd: ROOT,
    stderr: "pipe",
  });
  const client = eraClient(era);
  await client.connect(transport);
  expect(client.getProtocolEra()).toBe(era === "2025" ? "legacy" : "modern");
  return client;
}

/** Connects a client of `era` to a running `--transport http` server. */
export async function connectHttpEra(era: Era, url: string): Promise<Client> {
  const client = eraClient(era);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  expect(client.getProtocolEra()).toBe(era === "2025" ? "legacy" : "modern");
  return client;
}

/** The 2026-07-28 cache fields of a list or read result (absent on 2025-era answers). */
export function cacheFields(result: object): { ttlMs?: unknown; cacheScope?: unknown } {
  const { ttlMs, cacheScope } = result as { ttlMs?: unknown; cacheScope?: unknown };
  return { ttlMs, cacheScope };
}
