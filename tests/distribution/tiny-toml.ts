import { spawnSync } from "node:child_process";

/**
 * A reader for the TOML subset Codex configs use here: [dotted.headers], key = "string" | [strings] |
 * number | bool. Values in that subset are valid JSON, so JSON.parse reads them; anything else throws.
 */
export function readTinyToml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let table = root;
  const key = (k: string) => (k.startsWith('"') ? JSON.parse(k) : k);
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const header = /^\[([^[\]]+)\]$/.exec(line);
    if (header) {
      table = root;
      for (const part of header[1]!.match(/"(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+/g)!) {
        const k = key(part);
        table[k] ??= {};
        table = table[k] as Record<string, unknown>;
      }
      continue;
    }
    const kv = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) throw new Error(`tiny-toml: cannot read line: ${line}`);
    const k = key(kv[1]!);
    if (k in table) throw new Error(`tiny-toml: duplicate key ${k}`);
    table[k] = JSON.parse(kv[2]!);
  }
  return root;
}

/** Python's tomllib (a full TOML 1.0 parser) when python3 ≥ 3.11 is around; undefined otherwise. */
export function readTomlWithPython(file: string): Record<string, unknown> | undefined {
  const r = spawnSync(
    "python3",
    ["-c", "import tomllib,json,sys;print(json.dumps(tomllib.load(open(sys.argv[1],'rb'))))", file],
    { encoding: "utf8" },
  );
  if (r.error || (r.status !== 0 && /No module named 'tomllib'/.test(r.stderr))) return undefined;
  if (r.status !== 0) throw new Error(`tomllib rejected ${file}: ${r.stderr.trim().split("\n").pop()}`);
  return JSON.parse(r.stdout);
}
