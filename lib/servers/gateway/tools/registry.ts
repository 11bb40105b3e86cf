import type { Tool } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { errorMessage } from "../../../core/errors.ts";
import { ToolRegistry, type ToolSelection } from "../../../core/tools/tool-registry.ts";
import type { GatewayCore } from "../core.ts";
import { metaToolName, type ToolNameStyle } from "../tool-names.ts";
import { type GatewayToolContext, type MetaTool, reply } from "./define.ts";
import { META_TOOLS } from "./index.ts";

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

function prune(node: unknown, path: string): unknown {
  if (Array.isArray(node)) return node.map((n) => prune(n, path));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (UNLISTED.has(k)) continue;
    if (k === "properties") {
      const props: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(v as object)) {
        props[name] = prune(sub, path ? `${path}.${name}` : name);
      }
      out[k] = props;
    } else out[k] = prune(v, path);
  }
  // An enum already says its type; an array of strings is described well enough by its name.
  if (Array.isArray(out.enum)) delete out.type;
  if (out.type === "array" && (out.items as { type?: string } | undefined)?.type === "string")
    delete out.items;
  if (out.type === "object" && path === "" && Object.keys(out.properties as object).length === 0)
    delete out.properties;
  return out;
}

/** Zod issues as one message: "<message> at <path>" per issue (the wording the SDK's McpServer used). */
function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.message} at ${i.path.map(String).join(".")}` : i.message))
    .join("\n");
}

/** `gateway_invoke` / `gateway.invoke` → `invoke`. */
function verbOf(name: string): string {
  return name.slice("gateway_".length);
}

/**
 * The meta-tools under one naming style, as one ToolRegistry: listed with their compact schemas
 * (bounds and compatibility arguments are enforced, not listed), answered with PMCP's error results.
 */
function buildRegistry(core: GatewayCore, style: ToolNameStyle): ToolRegistry<GatewayToolContext> {
  const tools: MetaTool[] = META_TOOLS.map((t) => ({ ...t, name: metaToolName(t.name, style) }));
  return new ToolRegistry<GatewayToolContext>(tools, {
    context: (call) => {
      core.log.debug("meta-tool call", { tool: verbOf(call.name) });
      return { core, extra: call.request };
    },
    failure: (err) => {
      const message = errorMessage(err);
      return reply({ data: { ok: false, error: message }, text: message, isError: true });
    },
    onUnexpected: (err, tool) => core.log.warn(`${verbOf(tool.name)} failed`, { error: errorMessage(err) }),
    invalidArguments: (tool, error) => ({
      content: [
        {
          type: "text",
          text: `Input validation error: Invalid arguments for tool ${tool.name}: ${issuesMessage(error)}`,
        },
      ],
      isError: true,
    }),
    unknownTool: (name) => ({ content: [{ type: "text", text: `Tool ${name} not found` }], isError: true }),
    listing: (entry) => {
      // The SDK's McpServer never listed outputSchema or execution for these; keep the listing compact.
      const { outputSchema: _o, ...rest } = entry;
      return { ...rest, inputSchema: prune(entry.inputSchema, "") as Tool["inputSchema"] };
    },
  });
}

interface Built {
  registry: ToolRegistry<GatewayToolContext>;
  selection: ToolSelection<GatewayToolContext>;
}

const perCore = new WeakMap<GatewayCore, Built>();

/**
 * The gateway's meta-tool registry and the policy's selection over it (`gateway_tools` in the policy
 * file), built once per gateway: every server instance (one per session, or per 2026-07-28 request)
 * installs the same registry.
 */
export function metaTools(core: GatewayCore): Built {
  let built = perCore.get(core);
  if (!built) {
    const allowed = new Set(
      META_TOOLS.filter((t) => core.policy.gatewayToolAllowed(t.name)).map((t) =>
        metaToolName(t.name, core.toolNames),
      ),
    );
    built = {
      registry: buildRegistry(core, core.toolNames),
      selection: { visible: (t) => allowed.has(t.name) },
    };
    perCore.set(core, built);
  }
  return built;
}
