import type { ToolNameStyle } from "./tool-names.ts";
import { metaToolName } from "./tool-names.ts";

export type GuidanceLevel = "off" | "minimal" | "standard";

/** L0: the server instructions. Short on purpose: it is paid for in every conversation. */
export function instructions(level: GuidanceLevel, style: ToolNameStyle, servers: string[]): string {
  const n = (v: string) => metaToolName(v, style);
  const lines = [
    `Gateway to downstream MCP servers. Workflow: ${n("catalog_search")} -> ${n("describe")} -> ${n("invoke")} (tool_id "server::tool").`,
  ];
  if (level !== "off") {
    lines.push(
      `Missing a capability? ${n("request_capability")}, then ${n("provision")}. Prefer code that loops/filters over many calls.`,
    );
    if (servers.length) {
      const shown = servers.slice(0, 20).join(", ");
      lines.push(`Servers: ${shown}${servers.length > 20 ? ` (+${servers.length - 20})` : ""}.`);
    }
  }
  return lines.join("\n");
}

/** L2 (standard only): a tiny snippet showing how code would call this tool through the gateway. */
export function codeSnippet(style: ToolNameStyle, toolId: string, template: Record<string, unknown>): string {
  return [
    `const r = await callTool("${metaToolName("invoke", style)}", {`,
    `  tool_id: "${toolId}", arguments: ${JSON.stringify(template)} });`,
    `if (r.isError) throw new Error(r.content[0].text);`,
  ].join("\n");
}
