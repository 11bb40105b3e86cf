import { ConfigError } from "../../core/errors.ts";

// Just enough TOML for Codex's `[mcp_servers.<name>]` tables: strings, string arrays, string tables.

export function tomlString(s: string): string {
  const escaped = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = {
      "\\": "\\\\",
      '"': '\\"',
      "\b": "\\b",
      "\t": "\\t",
      "\n": "\\n",
      "\f": "\\f",
      "\r": "\\r",
    };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

export function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k);
}

export type TomlValue = string | number | boolean | string[];

function tomlValue(v: TomlValue): string {
  if (Array.isArray(v)) return `[${v.map(tomlString).join(", ")}]`;
  if (typeof v === "string") return tomlString(v);
  return String(v);
}

/** One table: `[path]` followed by its keys, then string sub-tables as `[path.sub]`. */
export function tomlTable(
  path: string[],
  values: Record<string, TomlValue>,
  subtables: Record<string, Record<string, string>> = {},
): string {
  const lines = [`[${path.map(tomlKey).join(".")}]`];
  for (const [k, v] of Object.entries(values)) lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  for (const [sub, table] of Object.entries(subtables)) {
    if (!Object.keys(table).length) continue;
    lines.push("", `[${[...path, sub].map(tomlKey).join(".")}]`);
    for (const [k, v] of Object.entries(table)) lines.push(`${tomlKey(k)} = ${tomlString(v)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Splits a table header's dotted key (`mcp_servers."my server".env`) into its parts, or undefined. */
export function parseHeader(line: string): string[] | undefined {
  const m = /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/.exec(line);
  if (!m) return undefined;
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  const body = m[1]!;
  let at = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const k = re.exec(body);
    if (!k) return undefined;
    parts.push(k[1] !== undefined ? JSON.parse(`"${k[1]}"`) : (k[2] ?? k[3]!));
    at = re.lastIndex;
    if (!k[4]) break;
  }
  return parts;
}

function isArrayHeader(line: string): boolean {
  return /^\s*\[\[/.test(line);
}

/**
 * Replaces the tables `[<prefix>.<name>]` and `[<prefix>.<name>.*]` in a TOML document with `block`,
 * leaving every other line as it was. A definition it cannot replace safely (inline or dotted keys)
 * is refused rather than duplicated.
 */
export function mergeTomlTable(
  path: string,
  existing: string | undefined,
  prefix: string,
  name: string,
  block: string,
): string {
  const lines = (existing ?? "").split(/\r?\n/);
  const kept: string[] = [];
  let inOurs = false;
  let current: string[] = [];
  const dotted = new RegExp(`^\\s*(?:${prefix}\\s*\\.\\s*)?(?:"${name}"|'${name}'|${name})\\s*[.=]`);
  for (const line of lines) {
    const header = parseHeader(line);
    if (header || isArrayHeader(line)) {
      current = header ?? [];
      inOurs = header?.[0] === prefix && header[1] === name;
      if (inOurs) continue;
    }
    if (inOurs) continue;
    const atRootOrPrefix = current.length === 0 || (current.length === 1 && current[0] === prefix);
    if (atRootOrPrefix && dotted.test(line) && (current.length === 1 || /^\s*mcp_servers\s*\./.test(line))) {
      throw new ConfigError(
        `${path} defines ${prefix}.${name} with inline or dotted keys; remove it or choose another --name`,
      );
    }
    kept.push(line);
  }
  while (kept.length && !kept[kept.length - 1]!.trim()) kept.pop();
  const head = kept.length ? `${kept.join("\n")}\n\n` : "";
  return `${head}${block}`;
}
