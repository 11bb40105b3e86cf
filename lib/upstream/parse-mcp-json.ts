import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { configError, formatPath, issueReason, plausibleUrl } from "./config-issue.ts";
import { PROTOCOL_SETTINGS } from "./protocol.ts";
import type { UpstreamSpec } from "./specs.ts";

// Env and header values are strings in the format; numbers and booleans are forgiven, as clients do.
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** mcpkit's own key: which protocol era to speak to the server (protocol.ts); numbers are forgiven. */
const protocolKey = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.enum(PROTOCOL_SETTINGS, { error: "'protocol' must be auto, 2025 or 2026" }))
  .optional();

const localEntry = z.object({
  protocol: protocolKey,
  command: z.string().min(1, "'command' must not be empty"),
  args: z.array(z.string()).default([]),
  env: stringMap.default({}),
  cwd: z.string().optional(),
});

const remoteEntry = z.object({
  protocol: protocolKey,
  url: z.string().refine(plausibleUrl, "'url' must be an http(s) URL"),
  headers: stringMap.default({}),
});

const REMOTE_TYPES = new Set(["http", "streamable-http", "sse", "remote"]);

const fileShape = z.object({ mcpServers: z.record(z.string(), z.unknown()) });

/** A relative path in a config file means "relative to that file", not to wherever we were started. */
function fromFile(baseDir: string, path: string): string {
  return isAbsolute(path) || path.includes("${") ? path : resolve(baseDir, path);
}

/**
 * Parses a Claude-style `.mcp.json`: `{"mcpServers": {name: {command, args, env, cwd} |
 * {type: "http"|"sse"|"streamable-http", url, headers}}}`, plus mcpkit's optional `protocol`
 * (auto|2025|2026) on either. Other top-level keys belong to other readers.
 */
export function parseMcpJson(text: string, file: string): UpstreamSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw configError(file, "", `not valid JSON (${(e as Error).message})`);
  }
  const top = fileShape.safeParse(raw);
  if (!top.success) throw configError(file, "", "expected an object with an 'mcpServers' object");
  const baseDir = dirname(resolve(file));
  const specs: UpstreamSpec[] = [];
  for (const [name, entry] of Object.entries(top.data.mcpServers)) {
    const where = `mcpServers.${name}`;
    if (!name.trim()) throw configError(file, "mcpServers", "server names must not be empty");
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
      throw configError(file, where, "expected an object");
    }
    const e = entry as Record<string, unknown>;
    const type = e.type;
    if (type !== undefined && type !== "stdio" && !REMOTE_TYPES.has(String(type))) {
      throw configError(
        file,
        where,
        `unknown type '${String(type)}' (expected stdio, http, streamable-http or sse)`,
      );
    }
    const remote = type === undefined ? e.command === undefined && e.url !== undefined : type !== "stdio";
    if (!remote && e.command === undefined) {
      throw configError(file, where, "needs 'command' (a local server) or 'url' (a remote one)");
    }
    const parsed = remote ? remoteEntry.safeParse(e) : localEntry.safeParse(e);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw configError(file, formatPath([...where.split("."), ...issue.path]), issueReason(issue));
    }
    if (remote) {
      const r = parsed.data as z.output<typeof remoteEntry>;
      specs.push({
        name,
        transport: type === "sse" ? "sse" : "http",
        url: r.url,
        headers: r.headers,
        ...(r.protocol ? { protocol: r.protocol } : {}),
        source: file,
      });
    } else {
      const l = parsed.data as z.output<typeof localEntry>;
      // A bare name ("npx") is looked up on PATH; a path with a separator is relative to the file.
      const command = /[\\/]/.test(l.command) ? fromFile(baseDir, l.command) : l.command;
      specs.push({
        name,
        transport: "stdio",
        command,
        args: l.args,
        env: l.env,
        ...(l.cwd !== undefined ? { cwd: fromFile(baseDir, l.cwd) } : {}),
        ...(l.protocol ? { protocol: l.protocol } : {}),
        source: file,
      });
    }
  }
  return specs;
}
