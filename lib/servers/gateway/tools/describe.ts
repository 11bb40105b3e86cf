import type { CallToolResult } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { GatewayCore } from "../core.ts";
import { codeSnippet } from "../guidance.ts";
import { parseToolId, type ToolChange, toolId } from "../types.ts";
import { failure, metaTool, reply, withoutArgs } from "./define.ts";
import { replyForError } from "./errors.ts";
import { waitForIndexing, waitMsArg } from "./index-wait.ts";

/** A placeholder argument set from a schema: required scalars as "<required: type>", arrays as one item. */
export function invokeTemplate(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema?.required ?? []) as string[]);
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    if (!required.has(name)) continue;
    const type = Array.isArray(prop.type) ? prop.type[0] : (prop.type ?? "value");
    if (type === "array") {
      const item = (prop.items ?? {}) as Record<string, unknown>;
      out[name] = [item.type === "object" ? invokeTemplate(item) : `<${String(item.type ?? "value")}>`];
    } else if (type === "object" && prop.properties) out[name] = invokeTemplate(prop);
    else out[name] = `<required: ${String(type)}>`;
  }
  return out;
}

const input = z.object({ tool_id: z.string(), wait_ms: waitMsArg }).strict();

export const describe = metaTool({
  name: "describe",
  title: "Describe",
  description: "Full schema of a tool_id.",
  input,
  listedInput: withoutArgs(input, ["wait_ms"]),
  hints: "read",
  async handler(args, { core, extra }) {
    const id = parseToolId(args.tool_id);
    if (!id) return failure(`tool_id must look like "server::tool", got "${args.tool_id}"`);
    if (!core.policy.toolAllowed(id.server, id.tool)) {
      return failure(`${args.tool_id} is denied by policy`, { code: "policy_denied" });
    }
    const entry = core.servers.get(id.server);
    if (entry && core.indexer.inProgress([id.server], { firstAttempt: true }).length) {
      // Being indexed: mark it used (so the indexer leaves it running for us) and wait, bounded.
      entry.lastUsed = Date.now();
      const left = await waitForIndexing(core, extra, args.wait_ms, [id.server]);
      if (left.length) return stillIndexing(core, args.tool_id, id.server, id.tool);
    }
    let records: Awaited<ReturnType<typeof core.ensureServer>>["records"];
    try {
      ({ records } = await core.ensureServer(id.server));
    } catch (err) {
      return replyForError(err, { tool_id: args.tool_id });
    }
    const rec = records.find((r) => r.name === id.tool);
    if (!rec) {
      const near = core.catalog
        .search({ query: id.tool, server: id.server, limit: 3, includeOffline: false, allowed: () => true })
        .results.map((r) => toolId(r.server, r.name));
      return failure(
        `no tool '${id.tool}' on server '${id.server}'${near.length ? `; did you mean ${near.join(", ")}?` : ""}`,
        { code: "unknown_tool" },
      );
    }
    const template = invokeTemplate(rec.inputSchema);
    const data: Record<string, unknown> = {
      tool_id: args.tool_id,
      server: rec.server,
      tool_name: rec.name,
      ...(rec.title ? { title: rec.title } : {}),
      description: rec.description,
      input_schema: rec.inputSchema ?? { type: "object" },
      ...(rec.outputSchema ? { output_schema: rec.outputSchema } : {}),
      ...(rec.annotations ? { annotations: rec.annotations } : {}),
      risk_hint: rec.risk,
      invoke_as: core.name("invoke"),
      invoke_template: { tool_id: args.tool_id, arguments: template },
    };
    if (core.guidanceLayers.code_snippets)
      data.code_snippet = codeSnippet(core.toolNames, args.tool_id, template);
    if (rec.changed) data.changed = changeNote(core, args.tool_id, rec.changed);
    return reply({ data, text: JSON.stringify(data) });
  },
});

/** What describe says about a changed tool: what changed, since when, and how to accept it. */
export function changeNote(core: GatewayCore, id: string, change: ToolChange): Record<string, unknown> {
  return {
    ...change,
    invoke_blocked: core.policy.changedTools === "block",
    accept_with: `${core.name("refresh")}(accept_changes=["${id}"])`,
  };
}

/** The server is still starting for its first listing: answer with the cached card, or say so. */
function stillIndexing(core: GatewayCore, id: string, server: string, tool: string): CallToolResult {
  const known = core.catalog.find(server, tool);
  const next = `server '${server}' is still being indexed (starting); ${core.name("describe")} again in a moment for the full schema`;
  if (!known) return failure(next, { code: "indexing", indexing: [server], tool_id: id });
  const data: Record<string, unknown> = {
    tool_id: id,
    server,
    tool_name: tool,
    ...(known.title ? { title: known.title } : {}),
    description: known.description,
    risk_hint: known.risk,
    partial: true,
    indexing: [server],
    ...(known.changed ? { changed: changeNote(core, id, known.changed) } : {}),
  };
  return reply({ data, text: `${JSON.stringify(data)}\n${next}` });
}
