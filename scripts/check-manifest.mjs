#!/usr/bin/env node
// Checks the launch of every server in the gateway's shipped manifest:
//   - npm packages (`verification: "npm"`) are looked up with `npm view <pkg> name version deprecated`,
//     four at a time;
//   - entries marked `not_available` are looked up too: still gone is expected, back on npm is reported
//     so the entry can be revisited;
//   - PyPI packages, docker images and remote URLs (`unverified-*`) cannot be checked from here and are
//     listed as such.
// Exit 1 if an available npm package is missing or could not be looked up.
//   node scripts/check-manifest.mjs [--json] [--only name,name]
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { json: { type: "boolean", default: false }, only: { type: "string" } },
});
const manifest = JSON.parse(
  readFileSync(new URL("../lib/servers/gateway/data/manifest.json", import.meta.url), "utf8"),
);
const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : undefined;

/** The check an entry gets: its declared `verification`, else what its launch implies. */
function kindOf(s) {
  if (s.verification) return s.verification;
  if (s.url) return "unverified-remote";
  if (s.package_type === "pypi" || s.command === "uvx") return "unverified-pypi";
  if (s.command === "docker") return "unverified-docker";
  return "npm";
}

function npmPackage(s) {
  if (s.package) return s.package;
  const arg = (s.args ?? []).find((a) => !a.startsWith("-"));
  return arg?.replace(/(?<=.)@[^/]*$/, "");
}

function view(pkg) {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["view", pkg, "name", "version", "deprecated", "--json"],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) {
          if (/E404|404 Not Found/.test(String(stderr))) resolve({ found: false });
          else resolve({ error: String(stderr).trim().split("\n")[0] || err.message });
          return;
        }
        try {
          const info = JSON.parse(stdout);
          resolve({ found: true, version: info.version, deprecated: info.deprecated });
        } catch {
          resolve({ error: "unreadable npm view output" });
        }
      },
    );
  });
}

const rows = manifest.servers
  .filter((s) => !only || only.has(s.name))
  .map((s) => {
    const kind = kindOf(s);
    return {
      server: s.name,
      kind,
      package: kind === "npm" ? npmPackage(s) : (s.package ?? s.url),
      not_available: s.not_available,
    };
  });
const queue = rows.filter((r) => r.kind === "npm");
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let r = queue.shift(); r; r = queue.shift()) Object.assign(r, await view(r.package));
  }),
);

for (const r of rows) {
  if (r.kind !== "npm") r.status = `not verified here (${r.kind.replace("unverified-", "")})`;
  else if (r.error) r.status = `ERROR: ${r.error}`;
  else if (r.not_available) {
    r.status = r.found
      ? `not_available, but now on npm (${r.version}): review the entry`
      : "not_available (still not on npm)";
  } else if (r.found) r.status = `ok ${r.version}${r.deprecated ? " (deprecated)" : ""}`;
  else r.status = "MISSING: not on the npm registry";
}
const failed = rows.filter((r) => r.kind === "npm" && !r.not_available && (r.error || !r.found));
const count = (pred) => rows.filter(pred).length;
const summary = {
  servers: rows.length,
  npm_checked: count((r) => r.kind === "npm"),
  npm_ok: count((r) => r.kind === "npm" && !r.not_available && r.found),
  missing: failed.length,
  not_available: count((r) => Boolean(r.not_available)),
  not_verified: {
    pypi: count((r) => r.kind === "unverified-pypi"),
    docker: count((r) => r.kind === "unverified-docker"),
    remote: count((r) => r.kind === "unverified-remote"),
  },
};
if (values.json) console.log(JSON.stringify({ ...summary, rows }, null, 2));
else {
  for (const r of rows) console.log(`${r.server.padEnd(22)} ${(r.package ?? "").padEnd(48)} ${r.status}`);
  const nv = summary.not_verified;
  console.log(
    `\n${summary.servers} servers: ${summary.npm_checked} npm packages checked (${summary.npm_ok} ok, ` +
      `${summary.missing} missing or unreadable), ${summary.not_available} not available, not verified here: ` +
      `${nv.pypi} PyPI, ${nv.docker} docker, ${nv.remote} remote`,
  );
}
process.exit(failed.length ? 1 : 0);
