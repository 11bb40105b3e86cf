#!/usr/bin/env bun
// `npm run clients`: real MCP clients against all five servers over stdio, Streamable HTTP and SSE, plus
// one row per failure issue #17 found and the OAuth rows of #21. The clients install once into a cache
// folder (not node_modules).
//
//   npm run clients                    Inspector CLI, mcp-remote, v2 SDK client (what CI runs)
//   npm run clients -- --all           also Claude Code, Gemini CLI, Codex, OpenCode (large downloads)
//   npm run clients -- --only sdk-v2   one client's cells (inspector | mcp-remote | sdk-v2)
//   npm run clients -- --no-matrix     only the issue rows
//
// Exit 1 when any cell or issue row fails (large-client rows are reported, not counted). The tables are
// also written to dist/clients-report.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bigClientRows } from "./clients/big.ts";
import { BASE_CLIENTS, BIG_CLIENTS, ensureInstalled } from "./clients/install.ts";
import { issueRows, packRow, type Row } from "./clients/issue-rows.ts";
import { type Cell, cellPassed, runCell, SERVERS, TRANSPORTS } from "./clients/matrix.ts";
import { oauthRow } from "./clients/oauth-rows.ts";
import { ROOT } from "./clients/proc.ts";

const argv = process.argv.slice(2);
const all = argv.includes("--all");
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
const matrix = !argv.includes("--no-matrix");
const say = (line: string) => process.stdout.write(`${line}\n`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function cellRow(c: Cell): string[] {
  if (c.na) return [c.client, c.server, c.transport, "n/a", "", "", "", "", c.note ?? ""];
  return [
    c.client,
    c.server,
    c.transport,
    c.connected ? "yes" : "NO",
    c.tools === undefined ? "" : String(c.tools),
    c.call ?? "",
    c.connectMs === undefined ? "" : String(c.connectMs),
    c.leftovers === undefined ? "n/a" : String(c.leftovers),
    `${cellPassed(c) ? "" : "FAIL "}${c.note ?? ""}`.slice(0, 110),
  ];
}

function rowRow(r: Row): string[] {
  return [r.id, r.passed ? "pass" : "FAIL", r.title, r.detail.replace(/\s+/g, " ").slice(0, 160)];
}

async function main(): Promise<number> {
  const { buildBundle } = await import(join(ROOT, "scripts/build.mjs"));
  if (!process.env.MCPKIT_CMD) await buildBundle();
  const specs = [...Object.values(BASE_CLIENTS), ...(all ? Object.values(BIG_CLIENTS) : [])];
  const dir = ensureInstalled(specs, say);
  const report: string[] = ["# mcpkit against real MCP clients", ""];

  const cells: Cell[] = [];
  if (matrix) {
    const clients = Object.keys(BASE_CLIENTS).filter((c) => !only || c === only);
    for (const client of clients)
      for (const server of SERVERS)
        for (const transport of TRANSPORTS) {
          const cell = await runCell(dir, client, server, transport);
          cells.push(cell);
          say(
            `${cellPassed(cell) ? "ok  " : "FAIL"} ${client} ${server} ${transport}${cell.note ? `  (${cell.note})` : ""}`,
          );
        }
    const t = table(
      ["client", "server", "transport", "connected", "tools", "call", "ms", "left", "note"],
      cells.map(cellRow),
    );
    report.push("## Clients × servers × transports", "", t, "");
  }

  const rows = only ? [] : [...(await issueRows(dir)), await oauthRow(dir, "mcp-remote")];
  const big = all ? [...(await bigClientRows(dir, say)), await oauthRow(dir, "claude")] : [];
  if (!only) rows.push(await packRow());
  for (const r of [...rows, ...big]) say(`${r.passed ? "ok  " : "FAIL"} ${r.id} ${r.title}`);
  if (rows.length)
    report.push("## Issue rows", "", table(["#", "result", "row", "detail"], rows.map(rowRow)), "");
  if (big.length)
    report.push("## Large clients (--all)", "", table(["#", "result", "row", "detail"], big.map(rowRow)), "");

  const text = report.join("\n");
  say(`\n${text}`);
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  writeFileSync(join(ROOT, "dist/clients-report.md"), `${text}\n`);
  const failed = cells.filter((c) => !cellPassed(c)).length + rows.filter((r) => !r.passed).length;
  const bigFailed = big.filter((r) => !r.passed).length;
  say(
    `\nclients: ${cells.length - cells.filter((c) => !cellPassed(c)).length}/${cells.length} cells, ${
      rows.length - rows.filter((r) => !r.passed).length
    }/${rows.length} issue rows passed${all ? `; large clients: ${big.length - bigFailed}/${big.length} (reported, not counted)` : ""}`,
  );
  return failed ? 1 : 0;
}

process.exit(await main());
