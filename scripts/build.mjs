#!/usr/bin/env node
// Bundles main.ts into dist/mcpkit.mjs (the npm bin) plus dist/chunks/*.mjs. Native and wasm packages
// stay external: npm installs them as dependencies, and they cannot be inlined into one JS file.
// Code splitting keeps start-up cheap: each server, the HTTP stack, the tokenizer and the TypeScript
// stripper are chunks loaded on first use, so `mcpkit pty` never parses the gateway or gpt-tokenizer.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const EXTERNAL = ["@lydell/node-pty", "quickjs-emscripten", "@jitl/*", "bun", "bun:*"];

/**
 * While a server is being written its command.ts may point at an index.ts that does not exist yet;
 * build it as "not built yet" instead of failing the whole bundle (and everyone's tests).
 */
const unbuiltServers = {
  name: "unbuilt-servers",
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.ts$/ }, (args) => {
      if (!/lib[\\/]servers[\\/][^\\/]+[\\/]command\.ts$/.test(args.importer)) return undefined;
      if (existsSync(join(dirname(args.importer), "index.ts"))) return undefined;
      return { path: args.importer, namespace: "unbuilt" };
    });
    b.onLoad({ filter: /.*/, namespace: "unbuilt" }, (args) => ({
      contents: `export async function start() { const e = new Error("this server is not built yet"); e.exitCode = 1; throw e; }`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * The v2 SDK's server and client each construct a default JSON Schema validator, and their Node `_shims`
 * module imports ajv (about 290 KB of source per package) to do it, on every start, though most runs
 * never validate a JSON Schema (elicitation answers, downstream tool outputs). In the bundle the shims are
 * replaced by ones that load the SDK's own ajv validator on first use, from a CommonJS file of its own
 * (`chunks/ajv-validator-<package>.cjs`, built beside the chunks), so a start neither evaluates nor parses
 * it. The build fails if the SDK's shim exports something the replacement does not.
 */
const SDK_SHIM_EXTRAS = {
  server: 'export { default as process } from "node:process";',
  client: "export const CORS_IS_POSSIBLE = false;",
};
const ajvChunk = (pkg) => `ajv-validator-${pkg}.cjs`;
const lazySdkValidators = {
  name: "lazy-sdk-validators",
  setup(b) {
    b.onResolve({ filter: /^@modelcontextprotocol\/(server|client)\/_shims$/ }, (args) => ({
      path: args.path.split("/")[1],
      namespace: "lazy-sdk-shims",
    }));
    b.onLoad({ filter: /.*/, namespace: "lazy-sdk-shims" }, (args) => {
      const pkg = args.path;
      const real = readFileSync(
        createRequire(import.meta.url).resolve(`@modelcontextprotocol/${pkg}/_shims`),
        "utf8",
      );
      const exported = [...real.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
        m[1].split(",").map((e) =>
          e
            .trim()
            .split(/\s+as\s+/)
            .pop(),
        ),
      );
      const provided = [
        "DefaultJsonSchemaValidator",
        ...(pkg === "server" ? ["process"] : ["CORS_IS_POSSIBLE"]),
      ];
      const missing = exported.filter((e) => e && !provided.includes(e));
      if (missing.length)
        throw new Error(`lazy-sdk-validators: ${pkg}/_shims now also exports ${missing.join(", ")}`);
      // This code lands in dist/mcpkit.mjs or in a chunk: the validator file is beside it or in chunks/.
      return {
        contents: `import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
${SDK_SHIM_EXTRAS[pkg]}
function loadAjv() {
  for (const rel of ["./${ajvChunk(pkg)}", "./chunks/${ajvChunk(pkg)}"]) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return require(file);
  }
  throw new Error("mcpkit: ${ajvChunk(pkg)} is missing beside the bundle's chunks; reinstall mcpkit");
}
export class DefaultJsonSchemaValidator {
  #ajv;
  getValidator(schema) {
    this.#ajv ??= new (loadAjv().AjvJsonSchemaValidator)();
    return this.#ajv.getValidator(schema);
  }
}
`,
        resolveDir: dirname(fileURLToPath(import.meta.url)),
        loader: "js",
      };
    });
  },
};

/** The SDK's ajv validators as CommonJS files of their own, loaded by the shims above on first use. */
async function buildAjvChunks(chunksDir, minify) {
  const out = [];
  for (const pkg of Object.keys(SDK_SHIM_EXTRAS)) {
    const outfile = join(chunksDir, ajvChunk(pkg));
    await build({
      entryPoints: [createRequire(import.meta.url).resolve(`@modelcontextprotocol/${pkg}/validators/ajv`)],
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      minify,
      legalComments: "none",
      logLevel: "warning",
    });
    out.push(resolve(outfile));
  }
  return out;
}

/** Old chunks a running mcpkit may still load lazily are kept this long after a rebuild. */
const STALE_CHUNK_GRACE_MS = 10 * 60 * 1000;

/**
 * Removes chunks the new build does not reference. With `clean` (release builds) all of them go; otherwise
 * only those older than the grace period, so a process started from the previous build (a test run, a
 * client's server) can still load its lazy chunks while the bundle is rebuilt under it.
 */
function pruneChunks(dir, keep, clean) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (keep.has(path)) continue;
    if (clean || Date.now() - statSync(path).mtimeMs > STALE_CHUNK_GRACE_MS) rmSync(path, { force: true });
  }
}

export async function buildBundle({
  outfile = "dist/mcpkit.mjs",
  entry = "main.ts",
  minify = true,
  clean = false,
} = {}) {
  const outdir = dirname(outfile);
  const result = await build({
    metafile: true,
    entryPoints: [{ in: entry, out: basename(outfile).replace(/\.mjs$/, "") }],
    outdir,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify,
    sourcemap: false,
    legalComments: "none",
    external: EXTERNAL,
    plugins: [unbuiltServers, lazySdkValidators],
    banner: {
      js: "#!/usr/bin/env node\nimport{createRequire as __mcpkitCreateRequire}from'node:module';const require=__mcpkitCreateRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  // Chunk names carry content hashes, so a rebuild adds files; drop the ones no longer referenced.
  const written = new Set(Object.keys(result.metafile.outputs).map((p) => resolve(p)));
  for (const file of await buildAjvChunks(join(outdir, "chunks"), minify)) written.add(file);
  pruneChunks(resolve(outdir, "chunks"), written, clean);
  await chmod(outfile, 0o755);
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildBundle({ clean: process.argv.includes("--clean") });
  // stderr: `npm pack --json` runs this as prepack, and its stdout must stay pure JSON.
  process.stderr.write(`built ${out}\n`);
}
