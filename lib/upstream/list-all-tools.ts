import type { Client, Tool } from "@modelcontextprotocol/client";

const MAX_PAGES = 1000;

/**
 * Every tool the server offers, following `nextCursor`; no tools capability means no tools. Always read
 * from the server: this runs when the list is wanted fresh (connect, list_changed), so a 2026-07-28
 * server's cache hint must not answer it from the client's response cache.
 */
export async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  if (!client.getServerCapabilities()?.tools) return tools;
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, {
      timeout: timeoutMs,
      cacheMode: "refresh",
    });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    // A server that repeats a cursor would loop forever; stop at the first repeat.
    if (!cursor || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return tools;
}
