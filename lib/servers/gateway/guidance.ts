import type { ToolNameStyle } from "./tool-names.ts";
import { metaToolName } from "./tool-names.ts";

export type GuidanceLevel = "off" | "minimal" | "standard";

/** L0: the server instructions. Short on purpose: it is paid for in every conversation. */
export function instructions(level: GuidanceLevel, style: ToolNameStyle, servers: string[]): string {
  const n = (v: string) => metaToolName(v, style);
  const lines = [
    `Gateway to downstream MCP servers. Workflow: ${n("catalog_search")} -> ${n("describe")} -> ${n("invoke")} (tool_id "server::tool").`,
  ];
  if (level !== "off") {
    lines.push(
      `Missing a capability? ${n("request_capability")}, then ${n("provision")}. Prefer code that loops/filters over many calls.`,
    );
    if (servers.length) {
      const shown = servers.slice(0, 20).join(", ");
      lines.push(`Servers: ${shown}${servers.length > 20 ? ` (+${servers.length - 20})` : ""}.`);
    }
  }
  return lines.join("\n");
}

/** L2 (standard only): a tiny snippet showing how code would call this tool through the gateway. */
export function codeSnippet(style: ToolNameStyle, toolId: string, template: Record<string, unknown>): string {
  return [
    `const r = await callTool("${metaToolName("invoke", style)}", {`,
    `  tool_id: "${toolId}", arguments: ${JSON.stringify(template)} });`,
    `if (r.isError) throw new Error(r.content[0].text);`,
  ].join("\n");
}

export const GUIDE_URI = "pmcp://guidance/code-execution";

/**
 * L3: the methodology guide, served as a resource so it costs nothing until a model reads it. It teaches
 * the search -> describe -> invoke loop and, for work that needs many calls, one program run by the
 * built-in ptc engine instead of a chain of single invokes.
 */
export function codeExecutionGuide(style: ToolNameStyle, servers: string[]): string {
  const n = (v: string) => metaToolName(v, style);
  const ptc = servers.includes("ptc");
  return [
    "# Working through the gateway",
    "",
    "The gateway lists a handful of meta-tools instead of every downstream tool. Pay for a schema only when",
    "you are about to use it.",
    "",
    "## 1. Find, then read, then call",
    "",
    `1. \`${n("catalog_search")}\` with a few keywords ("create issue", "screenshot"). Cards are short:`,
    "   `tool_id` (`server::tool`), a one-line description, `risk_hint`, sometimes a `code_hint`",
    "   (loop / filter / poll / try/catch) saying how code would typically use the tool.",
    `2. \`${n("describe")}\` on the one card you picked: full \`input_schema\` and an \`invoke_template\``,
    '   whose `"<required: type>"` placeholders show what to fill in. A lazy server starts here.',
    `3. \`${n("invoke")}\` with \`tool_id\` and \`arguments\`. Arguments are checked against the schema before`,
    "   the downstream sees them, so a validation error costs one round trip, not a side effect.",
    "",
    `Nothing matches? \`${n("request_capability")}\` suggests a configured server, a CLI you already have, or a`,
    `manifest server; \`${n("provision")}\` starts it. A missing key is reported by name; store it with`,
    `\`${n("auth_connect")}\`.`,
    "",
    "## 2. Many calls: write one program",
    "",
    "Every single invoke puts its whole result into the conversation. When a task needs a loop (every file,",
    "every page of results), a filter (only the failing ones) or retries, run it as code and return only the",
    "summary.",
    "",
    ptc
      ? `This gateway serves the built-in \`ptc\` engine. Look it up with \`${n("catalog_search")}\` ("execute program"),`
      : "When the gateway serves the `ptc` engine (built in when no .mcp.json names servers; or run",
    ptc
      ? 'then invoke `ptc::execute_program` with `code` (JavaScript by default; `language: "typescript"` or'
      : "`mcpkit ptc --mcp-config .mcp.json` next to it), invoke `ptc::execute_program` with `code`",
    ptc
      ? '`"python"`). `ptc::list_callable_tools` shows which tools the program can call; results come back as'
      : "(JavaScript by default, or TypeScript / Python). `ptc::list_callable_tools` shows which tools a program",
    ptc
      ? "values, only what the program prints or returns reaches you."
      : "can call; only what the program prints or returns reaches you.",
    "",
    "```js",
    "// one round trip instead of twenty",
    'const names = await tools.mcp__files__list({ path: "src" });',
    "const big = [];",
    "for (const f of names) {",
    "  const info = await tools.mcp__files__stat({ path: f });",
    "  if (info.size > 100_000) big.push(f);",
    "}",
    "return big;",
    "```",
    "",
    "Without ptc, keep the same shape by hand: search once, describe once, then invoke with narrow",
    "arguments (filters, limits, page sizes) rather than fetching everything and reading it in the chat.",
    "",
    "## 3. Habits that save tokens",
    "",
    "- Reuse a `tool_id` you already described; its schema does not change within a session.",
    "- Ask for less: `limit` on searches, `options.max_output_chars` on invoke.",
    `- Long calls: pass a progress token; \`${n("list_pending")}\` and \`${n("cancel")}\` manage stalled ones.`,
    "- Treat `risk_hint: high` tools (delete, push, pay) as needing the user's go-ahead.",
    "",
  ].join("\n");
}
