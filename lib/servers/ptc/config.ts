import { readFileSync } from "node:fs";
import { isMap, parseDocument } from "yaml";
import { ConfigError } from "../../core/errors.ts";
import { expandSpecs, parseMcpJson, parsePtcConfigYaml, type UpstreamSpec } from "../../upstream/index.ts";
import { type Language, parseLanguage } from "./language.ts";
import { sanitizePart } from "./naming.ts";
import type { ExecutionLimits, SandboxMode, TraceMode } from "./types.ts";

/** The channel limit PTC-MCP v0.2 puts on one tool result inside a script. */
export const MAX_TOOL_RESULT_CEILING = 50_331_648;

export const DEFAULT_LIMITS: ExecutionLimits = {
  timeoutSeconds: 120,
  maxOutputBytes: 65_536,
  maxToolCalls: 100,
  maxConcurrentCalls: 8,
  toolCallTimeoutSeconds: 60,
  trace: "summary",
  maxToolResultBytes: 16_777_216,
  sandbox: "auto",
  memoryLimitMb: 128,
  python: "python3",
};

export interface PtcConfig {
  servers: UpstreamSpec[];
  allow?: string[];
  block?: string[];
  limits: ExecutionLimits;
  /** execution.default_language, when the file sets it. */
  defaultLanguage?: Language;
  /** Where the settings came from, for messages ("defaults" when no file exists). */
  source: string;
}

const POSITIVE_KEYS: Array<[string, keyof ExecutionLimits]> = [
  ["timeout_seconds", "timeoutSeconds"],
  ["max_output_bytes", "maxOutputBytes"],
  ["max_tool_calls", "maxToolCalls"],
  ["max_concurrent_calls", "maxConcurrentCalls"],
  ["tool_call_timeout_seconds", "toolCallTimeoutSeconds"],
  ["max_tool_result_bytes", "maxToolResultBytes"],
  ["memory_limit_mb", "memoryLimitMb"],
];
const INTEGER_KEYS = new Set([
  "max_output_bytes",
  "max_tool_calls",
  "max_concurrent_calls",
  "max_tool_result_bytes",
]);
const SANDBOXES: SandboxMode[] = ["auto", "seatbelt", "bwrap", "none"];
const TRACES: TraceMode[] = ["summary", "off"];

function fail(file: string, message: string): never {
  throw new ConfigError(`${file}: ${message}`);
}

function globList(file: string, key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    fail(file, `tools.${key} must be a list of tool names or globs`);
  }
  return value as string[];
}

function parseExecution(file: string, raw: unknown): ExecutionLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (raw === undefined || raw === null) return limits;
  if (typeof raw !== "object" || Array.isArray(raw)) fail(file, "execution must be a mapping");
  const ex = raw as Record<string, unknown>;
  for (const [key, field] of POSITIVE_KEYS) {
    const v = ex[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || (INTEGER_KEYS.has(key) && !Number.isInteger(v))) {
      fail(
        file,
        `execution.${key} must be a ${INTEGER_KEYS.has(key) ? "whole " : ""}number, got ${JSON.stringify(v)}`,
      );
    }
    if (v <= 0) fail(file, `execution.${key} must be > 0`);
    (limits as unknown as Record<string, number>)[field] = v;
  }
  if (limits.maxToolResultBytes > MAX_TOOL_RESULT_CEILING) {
    fail(
      file,
      `execution.max_tool_result_bytes must be <= ${MAX_TOOL_RESULT_CEILING} (the script's channel limit)`,
    );
  }
  if (ex.sandbox !== undefined && ex.sandbox !== null) {
    if (!SANDBOXES.includes(ex.sandbox as SandboxMode)) {
      fail(
        file,
        `execution.sandbox must be 'seatbelt' or 'none' (or 'bwrap', 'auto'), got ${JSON.stringify(ex.sandbox)}`,
      );
    }
    limits.sandbox = ex.sandbox as SandboxMode;
  }
  if (ex.trace !== undefined && ex.trace !== null) {
    if (!TRACES.includes(ex.trace as TraceMode)) {
      fail(file, `execution.trace must be one of ('summary', 'off'), got ${JSON.stringify(ex.trace)}`);
    }
    limits.trace = ex.trace as TraceMode;
  }
  if (ex.python !== undefined && ex.python !== null) {
    if (typeof ex.python !== "string" || !ex.python.trim())
      fail(file, "execution.python must be a command name or path");
    limits.python = ex.python;
  }
  return limits;
}

/** Reads PTC-MCP's config.yaml: `tools` and `execution` here, `servers` through lib/upstream's parser. */
export function parsePtcConfig(text: string, file: string): Omit<PtcConfig, "source"> {
  const servers = parsePtcConfigYaml(text, file);
  const doc = parseDocument(text);
  if (doc.contents === null || !isMap(doc.contents)) return { servers, limits: { ...DEFAULT_LIMITS } };
  const top = doc.toJS() as Record<string, unknown>;
  const tools = (top.tools ?? {}) as Record<string, unknown>;
  if (typeof tools !== "object" || Array.isArray(tools))
    fail(file, "tools must be a mapping with 'allow' or 'block'");
  const allow = globList(file, "allow", tools.allow);
  const block = globList(file, "block", tools.block);
  if (allow && block) fail(file, "'allow' and 'block' are mutually exclusive in tools config");
  const limits = parseExecution(file, top.execution);
  const language = (top.execution as Record<string, unknown> | null | undefined)?.default_language;
  let defaultLanguage: Language | undefined;
  try {
    defaultLanguage =
      language === undefined || language === null
        ? undefined
        : parseLanguage(language, "execution.default_language");
  } catch (e) {
    fail(file, (e as Error).message);
  }
  return {
    servers,
    ...(allow ? { allow } : {}),
    ...(block ? { block } : {}),
    limits,
    ...(defaultLanguage ? { defaultLanguage } : {}),
  };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code})`);
  }
}

export interface LoadOptions {
  /** config.yaml path; a missing file means defaults (as in PTC-MCP). */
  configPath: string;
  /** A Claude-style .mcp.json whose `mcpServers` are added to the config's servers. */
  mcpConfigPath?: string;
  env: Record<string, string | undefined>;
}

/** Loads, merges and expands everything; throws ConfigError with one line naming the file and the key. */
export function loadPtcConfig(opts: LoadOptions): PtcConfig {
  const text = readOptional(opts.configPath);
  const parsed =
    text === undefined
      ? { servers: [], limits: { ...DEFAULT_LIMITS } }
      : parsePtcConfig(text, opts.configPath);
  let servers = parsed.servers;
  if (opts.mcpConfigPath) {
    const json = readOptional(opts.mcpConfigPath);
    if (json === undefined)
      throw new ConfigError(`${opts.mcpConfigPath}: cannot read the file (it does not exist)`);
    servers = [...servers, ...parseMcpJson(json, opts.mcpConfigPath)];
  }
  const seen = new Map<string, string>();
  for (const s of servers) {
    const key = sanitizePart(s.name);
    const prior = seen.get(key);
    if (prior === s.name) throw new ConfigError(`duplicate server names: ['${s.name}']`);
    if (prior !== undefined) {
      throw new ConfigError(
        `server names '${prior}' and '${s.name}' both become 'mcp__${key}__…' in scripts; rename one of them`,
      );
    }
    seen.set(key, s.name);
  }
  const expanded = expandSpecs(servers, opts.env);
  const miss = expanded.missing[0];
  if (miss)
    throw new ConfigError(`Server '${miss.server}': environment variable \${${miss.variable}} is not set`);
  return {
    ...parsed,
    servers: expanded.specs,
    source: text === undefined ? "defaults" : opts.configPath,
  };
}
