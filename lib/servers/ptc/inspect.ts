import type { ToolCatalog } from "./catalog.ts";
import { toolDeclaration } from "./schema-to-ts.ts";
import type { CallableTool } from "./types.ts";

// The seed's (PTC-MCP README's) wording; its code adds a Python-only example, which a JavaScript program
// cannot follow, and the seed wins where the two disagree.
export const NO_OUTPUT_SCHEMA_NOTE =
  "No output schema defined by the upstream server. Inspect the return value in your script.";

export function notFoundText(name: string): string {
  return `[Tool not found] '${name}' is not available in execute_program`;
}

/** inspect_tool's object, keys in PTC-MCP's order, plus the generated TypeScript declaration. */
export function describeTool(tool: CallableTool): Record<string, unknown> {
  const hasOutput = tool.outputSchema && Object.keys(tool.outputSchema).length > 0;
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: hasOutput ? tool.outputSchema : null,
    ...(hasOutput ? {} : { note: NO_OUTPUT_SCHEMA_NOTE }),
    ...(tool.exactName !== tool.name ? { exactName: tool.exactName } : {}),
    typescript: toolDeclaration({ ...tool, ...(hasOutput ? {} : { outputSchema: undefined }) }),
  };
}

/** `server_status()`: `{name: {connected, tools, error}}`. */
export function serverStatus(
  catalog: ToolCatalog,
): Record<string, { connected: boolean; tools: number; error: string | null }> {
  const out: Record<string, { connected: boolean; tools: number; error: string | null }> = {};
  for (const s of catalog.servers())
    out[s.name] = { connected: s.connected, tools: s.tools, error: s.error ?? null };
  return out;
}

/** PTC-MCP's second text item when servers are down. */
export function unavailableLine(catalog: ToolCatalog): string | undefined {
  const down = catalog.servers().filter((s) => !s.connected);
  if (!down.length) return undefined;
  return `UNAVAILABLE SERVERS (their tools are not listed; reconnecting): ${down
    .map((s) => `${s.name}: ${s.error ?? "connecting"}`)
    .join("; ")}`;
}
