export type ToolNameStyle = "default" | "dotted";

/** `gateway_<verb>` (portable: many clients reject dots) or PMCP's `gateway.<verb>`. */
export function metaToolName(verb: string, style: ToolNameStyle): string {
  return style === "dotted" ? `gateway.${verb}` : `gateway_${verb}`;
}
