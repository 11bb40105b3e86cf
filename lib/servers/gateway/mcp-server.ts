import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { errorMessage } from "../../core/errors.ts";
import type { GatewayCore } from "./core.ts";
import { codeExecutionGuide, GUIDE_URI, instructions } from "./guidance.ts";
import { installPromptProxy } from "./proxy-prompts.ts";
import { installResourceProxy } from "./proxy-resources.ts";
import { metaToolName } from "./tool-names.ts";
import type { Extra, Reply } from "./tools/define.ts";
import { META_TOOLS } from "./tools/index.ts";

function toResult(reply: Reply): CallToolResult {
  return {
    content: (reply.content ?? [
      { type: "text", text: reply.text ?? JSON.stringify(reply.data) },
    ]) as CallToolResult["content"],
    structuredContent: reply.data,
    ...(reply.isError ? { isError: true } : {}),
  };
}

/** A tool-level failure, as the SDK's McpServer reports unknown tools and arguments that fail the schema. */
function toolError(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/** Zod issues as one message: "<message> at <path>" per issue, the SDK's wording. */
function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.message} at ${i.path.map(String).join(".")}` : i.message))
    .join("\n");
}

type LaterTool = (args: unknown, extra: Extra) => Promise<CallToolResult>;

/**
 * Tools registered on the server after createGatewayServer (the conformance fixtures of
 * `--conformance-fixtures`) are answered by the gateway's tools/call handler as McpServer would: a raw zod
 * shape or a schema checks the arguments, a handler without one gets only `extra`, a throw becomes an error
 * result. registerTool is wrapped on this instance to learn about them.
 */
function answerLaterTools(server: McpServer): Map<string, LaterTool> {
  const later = new Map<string, LaterTool>();
  const register = server.registerTool.bind(server) as (...a: unknown[]) => unknown;
  (server as unknown as { registerTool: unknown }).registerTool = (
    name: string,
    config: { inputSchema?: unknown },
    handler: (...a: unknown[]) => unknown,
  ) => {
    const registered = register(name, config, handler);
    const input = config.inputSchema;
    const schema =
      input === undefined
        ? undefined
        : typeof (input as z.ZodType).safeParse === "function"
          ? (input as z.ZodType)
          : z.object(input as z.ZodRawShape);
    later.set(name, async (args, extra) => {
      try {
        if (!schema) return (await handler(extra)) as CallToolResult;
        const parsed = schema.safeParse(args ?? {});
        if (!parsed.success) {
          return toolError(
            `Input validation error: Invalid arguments for tool ${name}: ${issuesMessage(parsed.error)}`,
          );
        }
        return (await handler(parsed.data, extra)) as CallToolResult;
      } catch (err) {
        return toolError(errorMessage(err));
      }
    });
    return registered;
  };
  return later;
}

/** Keywords left out of the listing to fit the token budget; the server still enforces every one of them. */
const UNLISTED = new Set([
  "$schema",
  "additionalProperties",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "propertyNames",
]);

function prune(node: unknown, hidden: string[], path: string): unknown {
  if (Array.isArray(node)) return node.map((n) => prune(n, hidden, path));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (UNLISTED.has(k)) continue;
    if (k === "properties") {
      const props: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(v as object)) {
        const at = path ? `${path}.${name}` : name;
        if (!hidden.includes(at)) props[name] = prune(sub, hidden, at);
      }
      out[k] = props;
    } else out[k] = prune(v, hidden, path);
  }
  // An enum already says its type; an array of strings is described well enough by its name.
  if (Array.isArray(out.enum)) delete out.type;
  if (out.type === "array" && (out.items as { type?: string } | undefined)?.type === "string")
    delete out.items;
  if (out.type === "object" && path === "" && Object.keys(out.properties as object).length === 0)
    delete out.properties;
  return out;
}

/**
 * JSON schema of a meta-tool's input as listed: strict validation (unknown keys, bounds) stays on the
 * server, the listing keeps names, types, enums and required fields.
 */
function listedSchema(schema: z.ZodObject, hidden: string[] = []): Tool["inputSchema"] {
  return prune(z.toJSONSchema(schema, { io: "input" }), hidden, "") as Tool["inputSchema"];
}

/** The meta-tools as tools/list shows them: computed once per naming style. */
export function listedTools(core: Pick<GatewayCore, "toolNames" | "policy">): Tool[] {
  return META_TOOLS.filter((t) => core.policy.gatewayToolAllowed(t.verb)).map((t) => ({
    name: metaToolName(t.verb, core.toolNames),
    title: t.title,
    description: t.description,
    inputSchema: listedSchema(t.input, t.unlisted),
    annotations: t.annotations,
  }));
}

/** One McpServer per client session over the shared core. */
export function createGatewayServer(core: GatewayCore): McpServer {
  const names = core.servers.all().map((e) => e.name);
  const server = new McpServer(
    { name: "mcpkit-gateway", title: "mcpkit gateway", version: core.opts.ctx.version },
    {
      instructions: instructions(
        core.guidanceLayers.mcp_instructions ? core.guidance : "off",
        core.toolNames,
        names,
      ),
      capabilities: { tools: {} },
    },
  );
  // Downstream resources and prompts (proxy-*.ts); they declare both capabilities. Installed first, so
  // that what the gateway registers itself below is served as its own layer, ahead of the downstream ones.
  installResourceProxy(server.server, core);
  installPromptProxy(server.server, core);
  // L3: with guidance off (or the resource denied by policy) the guide is simply not listed.
  if (core.guidanceLayers.methodology_resource && core.policy.resourceAllowed(GUIDE_URI)) {
    server.registerResource(
      "code-execution-guide",
      GUIDE_URI,
      {
        title: "Code Execution Guide",
        description: "How to use the gateway: search -> describe -> invoke, and one program for many calls",
        mimeType: "text/markdown",
      },
      (uri) => ({
        contents: [
          { uri: uri.href, mimeType: "text/markdown", text: codeExecutionGuide(core.toolNames, names) },
        ],
      }),
    );
  }
  const listed = listedTools(core);
  const byName = new Map<string, (typeof META_TOOLS)[number]>();
  const run = async (tool: (typeof META_TOOLS)[number], args: unknown, extra: Extra) => {
    core.log.debug("meta-tool call", { tool: tool.verb });
    try {
      return toResult(await tool.run(args as never, core, extra));
    } catch (err) {
      core.log.warn(`${tool.verb} failed`, { error: errorMessage(err) });
      return toResult({
        data: { ok: false, error: errorMessage(err) },
        text: errorMessage(err),
        isError: true,
      });
    }
  };
  for (const tool of META_TOOLS) {
    if (!core.policy.gatewayToolAllowed(tool.verb)) continue;
    const name = metaToolName(tool.verb, core.toolNames);
    byName.set(name, tool);
    server.registerTool(
      name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: tool.annotations,
      },
      (args: unknown, ctx: Extra) => run(tool, args, ctx),
    );
  }
  // A compact tools/list: same tools, minus the `$schema` and `execution` fields the SDK would add.
  server.server.setRequestHandler("tools/list", () => ({ tools: listed }));
  const later = answerLaterTools(server);
  // tools/call straight to the meta-tool: the same lookup, strict schema check and error results as
  // McpServer's own handler, without its task and output-schema machinery (none of these tools has either),
  // which was a measurable part of invoke's overhead. The zod parse is synchronous here.
  server.server.setRequestHandler("tools/call", async (request, ctx) => {
    const name = request.params.name;
    const tool = byName.get(name);
    if (!tool) return later.get(name)?.(request.params.arguments, ctx) ?? toolError(`Tool ${name} not found`);
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return toolError(
        `Input validation error: Invalid arguments for tool ${name}: ${issuesMessage(parsed.error)}`,
      );
    }
    return run(tool, parsed.data, ctx);
  });
  return server;
}
