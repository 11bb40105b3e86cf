import { z } from "zod";
import { codeSnippet } from "../guidance.ts";
import { parseToolId, toolId } from "../types.ts";
import { defineTool, failure, READ_ONLY } from "./define.ts";
import { replyForError } from "./errors.ts";

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

export const describe = defineTool({
  verb: "describe",
  title: "Describe",
  description: "Full schema of a tool_id.",
  input: z.object({ tool_id: z.string() }).strict(),
  annotations: READ_ONLY,
  async run(args, core) {
    const id = parseToolId(args.tool_id);
    if (!id) return failure(`tool_id must look like "server::tool", got "${args.tool_id}"`);
    if (!core.policy.toolAllowed(id.server, id.tool)) {
      return failure(`${args.tool_id} is denied by policy`, { code: "policy_denied" });
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
    return { data, text: JSON.stringify(data) };
  },
});
