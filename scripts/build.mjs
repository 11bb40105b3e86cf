#!/usr/bin/env node
// Bundles main.ts into dist/mcpkit.mjs (the npm bin). Native and wasm packages stay external:
// npm installs them as dependencies, and they cannot be inlined into one JS file.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

export const EXTERNAL = ["@lydell/node-pty", "quickjs-emscripten", "@jitl/*", "bun", "bun:*"];

export async function buildBundle({ outfile = "dist/mcpkit.mjs", entry = "main.ts", minify = true } = {}) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify,
    sourcemap: false,
    legalComments: "none",
    external: EXTERNAL,
    banner: {
      js: "#!/usr/bin/env node\nimport{createRequire as __mcpkitCreateRequire}from'node:module';const require=__mcpkitCreateRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  await chmod(outfile, 0o755);
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildBundle();
  process.stdout.write(`built ${out}\n`);
}
