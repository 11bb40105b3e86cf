import { ConfigError } from "../../core/errors.ts";

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return Boolean(v) && typeof v === "object" && !Array.isArray(v);
}

/**
 * Puts `entry` at `root[rootKey][name]` in a JSON config's text, keeping every other key and their order.
 * `fresh` seeds a file that does not exist yet.
 */
export function mergeJsonEntry(
  path: string,
  existing: string | undefined,
  rootKey: string,
  name: string,
  entry: JsonObject,
  fresh: JsonObject = {},
): string {
  let root: unknown = fresh;
  if (existing?.trim()) {
    try {
      root = JSON.parse(existing);
    } catch {
      throw new ConfigError(
        `${path} is not plain JSON (comments or trailing commas?); run without --write and paste the entry by hand`,
      );
    }
  }
  if (!isObject(root))
    throw new ConfigError(`${path} does not hold a JSON object; fix the file or use --config-path`);
  const table = root[rootKey] ?? {};
  if (!isObject(table))
    throw new ConfigError(`"${rootKey}" in ${path} is not an object; fix it by hand first`);
  table[name] = entry;
  root[rootKey] = table;
  return `${JSON.stringify(root, null, 2)}\n`;
}

export function jsonSnippet(rootKey: string, name: string, entry: JsonObject): string {
  return `${JSON.stringify({ [rootKey]: { [name]: entry } }, null, 2)}\n`;
}
