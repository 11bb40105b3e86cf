import type { CallToolResult } from "@modelcontextprotocol/server";
import type { GatewayCore } from "../core.ts";
import type { ToolRecord } from "../types.ts";
import { failure } from "./define.ts";

/**
 * With the policy's `changed_tools: block`, a tool whose description or input schema changed since it
 * was accepted is not invoked until gateway_refresh accepts it (a changed description is how tool
 * poisoning arrives). Returns the refusal, or undefined when the call may go ahead.
 */
export function refuseChangedTool(
  core: GatewayCore,
  rec: ToolRecord,
  id: string,
): CallToolResult | undefined {
  if (!rec.changed || core.policy.changedTools !== "block") return undefined;
  const what = rec.changed.fields.map((f) => (f === "input_schema" ? "input schema" : f)).join(" and ");
  return failure(
    `${id} was not invoked: its ${what} changed since it was indexed (${rec.changed.detected_at}) and the policy blocks changed tools (changed_tools: block). Review it with ${core.name("describe")}, then accept it with ${core.name("refresh")}(accept_changes=["${id}"])`,
    { code: "tool_changed", tool_id: id, changed: rec.changed },
  );
}
