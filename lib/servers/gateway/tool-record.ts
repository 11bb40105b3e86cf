import { inferRisk } from "./risk.ts";
import { deriveTags } from "./tags.ts";
import type { ToolAnnotationsLike, ToolRecord } from "./types.ts";

/** The part of an MCP `Tool` the gateway reads. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotationsLike;
}

/** Turns a downstream tools/list entry into a catalog record (tags, risk and parameter names derived once). */
export function recordFromTool(server: string, tool: ListedTool): ToolRecord {
  const description = tool.description ?? "";
  const props = (tool.inputSchema?.properties ?? {}) as Record<string, unknown>;
  return {
    server,
    name: tool.name,
    title: tool.title ?? tool.annotations?.title,
    description,
    inputSchema: tool.inputSchema ?? { type: "object" },
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    params: Object.keys(props),
    tags: deriveTags(server, tool.name, description),
    risk: inferRisk(tool.name, description, tool.annotations),
    availability: "online",
  };
}
