import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { parseMcpJson } from "./parse-mcp-json.ts";
import { parsePtcConfigYaml } from "./parse-ptc-config.ts";
import type { UpstreamSpec } from "./specs.ts";

/** Reads `.mcp.json` (or any `.json`) or PTC's `config.yaml`; other extensions are sniffed by content. */
export function loadSpecsFromFile(path: string): UpstreamSpec[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${path}: cannot read the file (${code === "ENOENT" ? "it does not exist" : code})`,
    );
  }
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return parseMcpJson(text, path);
  if (ext === ".yaml" || ext === ".yml") return parsePtcConfigYaml(text, path);
  return text.trimStart().startsWith("{") ? parseMcpJson(text, path) : parsePtcConfigYaml(text, path);
}
