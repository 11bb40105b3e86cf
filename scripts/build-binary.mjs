#!/usr/bin/env node
// Compiles main.ts into one self-contained executable with Bun (`bun build --compile`).
// Usage: node scripts/build-binary.mjs [--target bun-linux-x64] [--outfile dist/mcpkit] [--no-bytecode]
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";

/** Path of the bun executable shipped by the `bun` npm package. */
export function bunPath() {
  const require = createRequire(import.meta.url);
  const candidates = [join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe")];
  try {
    candidates.unshift(join(dirname(require.resolve("@oven/bun-linux-x64/package.json")), "bin", "bun"));
  } catch {}
  for (const c of candidates) if (existsSync(c)) return c;
  return "bun";
}

export function compileBinary({ target, outfile = "dist/mcpkit", bytecode = true } = {}) {
  const args = ["build", "--compile", "--minify", "--format=esm", "main.ts", "--outfile", outfile];
  if (bytecode) args.splice(3, 0, "--bytecode");
  if (target) args.push(`--target=${target}`);
  const r = spawnSync(bunPath(), args, { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`bun build --compile failed (exit ${r.status})`);
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { target: { type: "string" }, outfile: { type: "string" }, "no-bytecode": { type: "boolean" } },
  });
  const out = compileBinary({
    target: values.target,
    outfile: values.outfile,
    bytecode: !values["no-bytecode"],
  });
  process.stdout.write(`built ${out} (${(statSync(out).size / 1048576).toFixed(1)} MiB)\n`);
}
