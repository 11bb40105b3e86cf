import type { McpServer, ReadResourceResult } from "@modelcontextprotocol/server";
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import { McpkitError } from "../../core/errors.ts";
import { redactor } from "../../core/redact.ts";
import { CloudflareAccessError } from "./errors.ts";
import type { PtmHttpClient } from "./http-client.ts";
import { fillPath, isSafeSegment } from "./segments.ts";

/** One resource URI pattern: where it reads from and how the body becomes text. */
interface ResourceSpec {
  name: string;
  title: string;
  description: string;
  uriTemplate: string;
  mimeType: string;
  path: string;
  query?: Record<string, string>;
  /** "prompt_text" reads that field of a JSON answer; "body" passes the text through. */
  take: "prompt_text" | "body";
}

export const RESOURCES: readonly ResourceSpec[] = [
  {
    name: "prompt",
    title: "Active prompt text",
    description: "The prompt_text of a prompt's active version.",
    uriTemplate: "ptm://prompts/{prompt_id}",
    mimeType: "text/plain",
    path: "/prompts/{prompt_id}",
    take: "prompt_text",
  },
  {
    name: "prompt_version",
    title: "Prompt text of one version",
    description: "The prompt_text of version N of a prompt.",
    uriTemplate: "ptm://prompts/{prompt_id}/v{N}",
    mimeType: "text/plain",
    path: "/prompts/{prompt_id}/versions/{N}",
    take: "prompt_text",
  },
  {
    name: "run_report_md",
    title: "Run report (markdown)",
    description: "The markdown report of an evaluation run.",
    uriTemplate: "ptm://runs/{run_key}/report.md",
    mimeType: "text/markdown",
    path: "/runs/{run_key}/report",
    query: { format: "md" },
    take: "body",
  },
  {
    name: "run_report_html",
    title: "Run report (HTML)",
    description: "The HTML report of an evaluation run.",
    uriTemplate: "ptm://runs/{run_key}/report.html",
    mimeType: "text/html",
    path: "/runs/{run_key}/report",
    query: { format: "html" },
    take: "body",
  },
  {
    name: "optimization_report_md",
    title: "Optimization summary (markdown)",
    description: "The markdown summary of a prompt optimization.",
    uriTemplate: "ptm://optimizations/{optimization_id}/report.md",
    mimeType: "text/markdown",
    path: "/optimizations/{optimization_id}/detail",
    query: { format: "md" },
    take: "body",
  },
];

/** Checks every dynamic segment before anything is sent; `N` must also be a version number. */
function validateVariables(variables: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(variables)) {
    const value = Array.isArray(raw) ? raw.join("/") : raw;
    if (!isSafeSegment(value) || (name === "N" && !/^\d+$/.test(value)))
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `${name} must match ^[a-zA-Z0-9_.-]+$ and must not be "." or ".."${name === "N" ? " (and be a version number)" : ""}; nothing was sent to PTM`,
      );
    out[name] = value;
  }
  return out;
}

async function readResource(
  client: PtmHttpClient,
  spec: ResourceSpec,
  uri: URL,
  variables: Record<string, string | string[]>,
): Promise<ReadResourceResult> {
  const values = validateVariables(variables);
  const path = fillPath(spec.path, values);
  try {
    const res = await client.request({
      method: "GET",
      path,
      query: spec.query,
      expect: spec.take === "body" ? "text" : "json",
    });
    let text: string;
    if (spec.take === "body") text = res.text;
    else {
      const field = (res.json as { prompt_text?: unknown } | undefined)?.prompt_text;
      if (typeof field !== "string")
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `PTM returned no prompt_text for ${uri.href}`,
        );
      text = field;
    }
    return { contents: [{ uri: uri.href, mimeType: spec.mimeType, text: redactor.redact(text) }] };
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    const status = (err as { status?: number }).status;
    const message =
      err instanceof CloudflareAccessError
        ? `CloudflareAccessError: ${err.message}`
        : err instanceof McpkitError
          ? err.message
          : "unexpected error";
    const text = redactor.redact(`${uri.href}: ${message}`);
    // Resource-not-found (SEP-2164): -32602 whose data is exactly `{uri}`, in both protocol eras.
    if (status === 404) throw new ResourceNotFoundError(uri.href, text);
    throw new ProtocolError(ProtocolErrorCode.InternalError, text);
  }
}

/** Registers the five resource URI templates; resources are reads, so read-only mode does not touch them. */
export function registerResources(server: McpServer, client: PtmHttpClient): void {
  for (const spec of RESOURCES) {
    server.registerResource(
      spec.name,
      new ResourceTemplate(spec.uriTemplate, { list: undefined }),
      { title: spec.title, description: spec.description, mimeType: spec.mimeType },
      (uri, variables) => readResource(client, spec, uri, variables),
    );
  }
}
