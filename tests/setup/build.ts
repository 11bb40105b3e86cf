import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/mcpkit.ts";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/mcpkit.mjs when a source is newer, so tests always run the current code. */
export async function ensureBundle(): Promise<void> {
  const out = join(ROOT, "dist/mcpkit.mjs");
  const sources = Math.max(newestSource(join(ROOT, "lib")), statSync(join(ROOT, "main.ts")).mtimeMs);
  const echo = join(ROOT, "dist/test/echo-cli.mjs");
  const fixtures = newestSource(join(ROOT, "tests/fixtures"));
  const { buildBundle } = await import(join(ROOT, "scripts/build.mjs"));
  if (!existsSync(out) || statSync(out).mtimeMs < sources) await buildBundle({ outfile: out });
  if (!existsSync(echo) || statSync(echo).mtimeMs < Math.max(sources, fixtures)) {
    await buildBundle({ outfile: echo, entry: join(ROOT, "tests/fixtures/echo-cli.ts"), minify: false });
  }
}

export default async function setup(): Promise<void> {
  await ensureBundle();
}
