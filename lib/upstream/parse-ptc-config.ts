import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { configError, formatPath, issueReason, plausibleUrl } from "./config-issue.ts";
import { PROTOCOL_SETTINGS } from "./protocol.ts";
import type { UpstreamSpec } from "./specs.ts";

const TRANSPORTS = ["stdio", "sse", "http"] as const;
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const serverEntry = z.object({
  name: z.string().trim().min(1, "'name' is required"),
  transport: z.string().default("stdio"),
  command: z.string().optional(),
  args: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  env: stringMap.nullish().transform((v) => v ?? {}),
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: stringMap.nullish().transform((v) => v ?? {}),
  // mcpkit's own key (protocol.ts); YAML reads `protocol: 2026` as a number.
  protocol: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.enum(PROTOCOL_SETTINGS, { error: "'protocol' must be auto, 2025 or 2026" }))
    .optional(),
});

/**
 * Reads the `servers:` list of PTC-MCP's `config.yaml` (`[{name, transport: stdio|sse|http, command, args,
 * env, url, headers}]`, plus mcpkit's optional `protocol: auto|2025|2026`). The rest of that file (tools, execution) belongs to ptc and is ignored here.
 */
export function parsePtcConfigYaml(text: string, file: string): UpstreamSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    throw configError(
      file,
      "",
      `not valid YAML (${err.message.split("\n")[0]})`,
      lineCounter.linePos(err.pos[0]).line,
    );
  }
  // Line of the node at `path`, or of its nearest ancestor that exists.
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw configError(file, "", "expected a mapping at the top level", lineOf([]));
  const servers = doc.get("servers", true);
  if (servers === undefined || servers === null || (servers as { value?: unknown }).value === null) return [];
  if (!isSeq(servers)) throw configError(file, "servers", "expected a list of servers", lineOf(["servers"]));
  const list = (doc.toJS() as { servers: unknown[] }).servers;

  const specs: UpstreamSpec[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const at = (...rest: PropertyKey[]) => ["servers", i, ...rest];
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      throw configError(
        file,
        `servers[${i}]`,
        "expected a mapping with 'name' and 'transport'",
        lineOf(at()),
      );
    }
    const parsed = serverEntry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw configError(file, formatPath(at(...issue.path)), issueReason(issue), lineOf(at(...issue.path)));
    }
    const s = parsed.data;
    const where = `server '${s.name}'`;
    if (seen.has(s.name)) throw configError(file, where, "duplicate server name", lineOf(at("name")));
    seen.add(s.name);
    if (!(TRANSPORTS as readonly string[]).includes(s.transport)) {
      throw configError(
        file,
        where,
        `unknown transport '${s.transport}' (expected one of stdio, sse, http)`,
        lineOf(at("transport")),
      );
    }
    if (s.transport === "stdio") {
      if (!s.command?.trim())
        throw configError(file, where, "stdio transport requires 'command'", lineOf(at()));
      specs.push({
        name: s.name,
        transport: "stdio",
        command: s.command,
        args: s.args,
        env: s.env,
        ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
        ...(s.protocol ? { protocol: s.protocol } : {}),
        source: file,
      });
      return;
    }
    if (!s.url?.trim())
      throw configError(file, where, `${s.transport} transport requires 'url'`, lineOf(at()));
    if (!plausibleUrl(s.url))
      throw configError(file, where, "'url' must be an http(s) URL", lineOf(at("url")));
    specs.push({
      name: s.name,
      transport: s.transport as "sse" | "http",
      url: s.url,
      headers: s.headers,
      ...(s.protocol ? { protocol: s.protocol } : {}),
      source: file,
    });
  });
  return specs;
}
