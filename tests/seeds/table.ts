import type { SeedExample, SeedFile } from "./examples/types.ts";

const SEEDS: Array<[SeedFile, string]> = [
  ["pmcp.txt", "PMCP → `pmcp`"],
  ["ptc-mcp.txt", "PTC-MCP → `ptc-mcp`"],
  ["pty-mcp.txt", "pty-mcp → `pty-mcp`"],
  ["ptm-mcp.txt", "ptm-mcp → `ptm-mcp`"],
  ["trueppm-mcp.txt", "trueppm-mcp → `trueppm-mcp`"],
];

/** An example's first line, for lists (table cells escape their pipes). */
function label(ex: SeedExample): string {
  const first = ex.text.split("\n")[0]!.trim();
  const short = first.length > 70 ? `${first.slice(0, 67)}…` : first;
  const code = `\`${short.replaceAll("`", "'")}${ex.text.includes("\n") && short === first ? " …" : ""}\``;
  // A first line like `{` or `servers:` says little; name the section it comes from.
  return first.length < 20 && ex.text.includes("\n") ? `${code} (§ ${ex.section})` : code;
}

function counts(list: readonly SeedExample[]) {
  const verbatim = list.filter((e) => e.run === "verbatim");
  return {
    total: list.length,
    verbatim: verbatim.length,
    waiting: list.filter((e) => e.run !== "not-run" && e.waitsOn).length,
    adapted: list.filter((e) => e.run === "adapted").length,
    notRun: list.filter((e) => e.run === "not-run").length,
  };
}

/** The README's "Drop-in fidelity" body, generated from tests/seeds/examples (kept honest by table.test.ts). */
export function renderFidelity(all: readonly SeedExample[]): string {
  const out: string[] = [];
  const t = counts(all);
  out.push(
    `The five seed documents show ${t.total} examples (tool calls, commands, config files, environment variables, Docker commands). ` +
      `Each one that can run here is a test in \`tests/seeds/\`, run against mcpkit started under the original's name ` +
      `(a link named \`pmcp\`, \`ptc-mcp\`, … to the built CLI) through the SDK client, with fake REST backends for ptm and trueppm. ` +
      `**${t.verbatim} of ${t.total} run verbatim** (${t.waiting} of them wait on fixes owned by other areas, listed below), ${t.adapted} run with one stated change, ${t.notRun} cannot run here (the reasons are below). ` +
      `Verbatim means as written, with only placeholder values replaced (example.com hosts, PASTE_HERE tokens, \`"..."\` session ids, \`/path/to/project\`).`,
    "",
    "| seed → name | examples | run verbatim | of which wait on another area's fix | run adapted | not run |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const [seed, name] of SEEDS) {
    const c = counts(all.filter((e) => e.seed === seed));
    out.push(`| ${name} | ${c.total} | ${c.verbatim} | ${c.waiting} | ${c.adapted} | ${c.notRun} |`);
  }
  out.push(
    `| **all** | **${t.total}** | **${t.verbatim}** | **${t.waiting}** | **${t.adapted}** | **${t.notRun}** |`,
    "",
  );
  out.push(
    "Differences, per seed (examples sharing a reason are listed together). An example that waits on another area's fix fails on purpose until that fix lands; it asserts the original's documented behaviour.",
    "",
  );
  for (const [seed, name] of SEEDS) {
    const list = all.filter((e) => e.seed === seed);
    const lines: string[] = [];
    const byReason = new Map<string, SeedExample[]>();
    for (const e of list) {
      if (e.run === "verbatim") continue;
      const key = `${e.run}\u0000${e.difference ?? "(no reason given)"}`;
      byReason.set(key, [...(byReason.get(key) ?? []), e]);
    }
    for (const [key, group] of byReason) {
      const [run, reason] = key.split("\u0000");
      lines.push(
        `- ${run === "adapted" ? "adapted" : "not run"}: ${group.map(label).join(", ")} — ${reason}`,
      );
    }
    for (const e of list.filter((x) => x.note)) lines.push(`- verbatim, shows more: ${label(e)} — ${e.note}`);
    const waits = new Map<string, SeedExample[]>();
    for (const e of list.filter((x) => x.waitsOn))
      waits.set(e.waitsOn!, [...(waits.get(e.waitsOn!) ?? []), e]);
    for (const [reason, group] of waits) {
      const [area, ...what] = reason.split(": ");
      lines.push(`- waits on the ${area} area (${what.join(": ")}): ${group.map(label).join(", ")}`);
    }
    if (lines.length) out.push(`**${name}**`, "", ...lines, "");
  }
  return out.join("\n").trimEnd();
}
