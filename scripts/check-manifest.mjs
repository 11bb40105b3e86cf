#!/usr/bin/env node
// Checks that every npm package the gateway's shipped manifest would launch exists on the npm registry
// (`npm view <pkg> name version`), four at a time. PyPI packages and remote URLs are listed but not
// checked here (PyPI is not reachable from every machine we run on). Exit 1 if any npm package is missing.
//   node scripts/check-manifest.mjs [--json]
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

const manifest = JSON.parse(
  readFileSync(new URL("../lib/servers/gateway/data/manifest.json", import.meta.url)),
);
const json = process.argv.includes("--json");

function npmPackage(s) {
  if (s.package_type === "pypi" || s.url) return undefined;
  if (s.package) return s.package;
  if (s.command === "npx") return s.args.find((a) => !a.startsWith("-"));
  return undefined;
}

function view(pkg) {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["view", pkg, "name", "version", "--json"],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) {
          const reason = /E404|404/.test(String(stderr))
            ? "not on the npm registry"
            : String(stderr).trim().split("\n")[0] || err.message;
          resolve({ ok: false, reason });
          return;
        }
        try {
          const info = JSON.parse(stdout);
          resolve({ ok: true, version: info.version });
        } catch {
          resolve({ ok: false, reason: "unreadable npm view output" });
        }
      },
    );
  });
}

const rows = manifest.servers.map((s) => ({
  server: s.name,
  package: npmPackage(s),
  kind: s.url ? "remote" : (s.package_type ?? "npm"),
}));
const queue = rows.filter((r) => r.package);
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let r = queue.shift(); r; r = queue.shift()) Object.assign(r, await view(r.package));
  }),
);
const missing = rows.filter((r) => r.package && !r.ok);
if (json)
  console.log(JSON.stringify({ checked: rows.filter((r) => r.package).length, missing, rows }, null, 2));
else {
  for (const r of rows) {
    const status = !r.package ? `not checked (${r.kind})` : r.ok ? `ok ${r.version}` : `MISSING: ${r.reason}`;
    console.log(`${r.server.padEnd(22)} ${(r.package ?? "").padEnd(48)} ${status}`);
  }
  console.log(`\n${rows.filter((r) => r.package).length} npm packages checked, ${missing.length} missing`);
}
process.exit(missing.length ? 1 : 0);
