/** Shapes shared across the gateway: tool records, risk levels, server states. */

export type Risk = "low" | "medium" | "high" | "unknown";
export const RISK_ORDER: Record<Risk, number> = { low: 1, medium: 2, high: 3, unknown: 4 };

/** The four states of a server, from merely known to used. */
export type ServerState = "manifest" | "configured" | "started" | "invoked";

export interface ToolAnnotationsLike {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One downstream tool as the catalog knows it (live from tools/list, or from the description cache). */
export interface ToolRecord {
  server: string;
  name: string;
  title?: string;
  description: string;
  /** Full JSON schema when live; absent for cached (offline) entries. */
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotationsLike;
  params: string[];
  tags: string[];
  risk: Risk;
  availability: "online" | "offline";
  /** Set when the tool's description or input schema differs from the definition accepted earlier. */
  changed?: ToolChange;
}

/** A tool definition that no longer matches what was indexed before (how tool poisoning arrives). */
export interface ToolChange {
  fields: Array<"description" | "input_schema">;
  /** ISO time the difference was first seen. */
  detected_at: string;
  /** The accepted description, when the description is what changed. */
  previous_description?: string;
}

export function toolId(server: string, tool: string): string {
  return `${server}::${tool}`;
}

/** Splits "server::tool"; undefined when the id has no separator or an empty half. */
export function parseToolId(id: string): { server: string; tool: string } | undefined {
  const at = id.indexOf("::");
  if (at <= 0 || at + 2 >= id.length) return undefined;
  return { server: id.slice(0, at), tool: id.slice(at + 2) };
}
