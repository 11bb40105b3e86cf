import { describe, expect, it } from "vitest";
import { globToRegExp } from "../../lib/core/glob.ts";
import { ToolCatalog } from "../../lib/servers/ptc/catalog.ts";
import { parsePtcConfig } from "../../lib/servers/ptc/config.ts";
import { clipUtf8, OutputBuffer } from "../../lib/servers/ptc/engine/output-buffer.ts";
import { formatRun, traceSummary } from "../../lib/servers/ptc/format-result.ts";
import { namespacedName, ToolFilter } from "../../lib/servers/ptc/naming.ts";
import { resultValue } from "../../lib/servers/ptc/result-value.ts";
import { toolDeclaration } from "../../lib/servers/ptc/schema-to-ts.ts";
import { rankTools } from "../../lib/servers/ptc/search.ts";
import { truncateJson } from "../../lib/servers/ptc/truncate-json.ts";
import type { DownstreamTool, ToolSource } from "../../lib/servers/ptc/types.ts";

const text = (...t: string[]) => ({ content: t.map((x) => ({ type: "text" as const, text: x })) });

describe("naming", () => {
  it("namespaces like PTC-MCP and sanitises what it could not call", () => {
    expect(namespacedName("financial-data", "query")).toBe("mcp__financial_data__query");
    expect(namespacedName("my-cool-server", "get-data-now")).toBe("mcp__my_cool_server__get_data_now");
    expect(namespacedName("srv", "a.b/c d")).toBe("mcp__srv__a_b_c_d");
  });
  it("globs like fnmatch", () => {
    expect(globToRegExp("mcp__*__delete_*").test("mcp__db__delete_row")).toBe(true);
    expect(globToRegExp("mcp__?b__x").test("mcp__db__x")).toBe(true);
    expect(globToRegExp("mcp__[!d]b__x").test("mcp__db__x")).toBe(false);
    expect(new ToolFilter({ block: ["mcp__*__add"] }).permits("mcp__m__add")).toBe(false);
    expect(new ToolFilter({ allow: ["mcp__m__greet"] }).permits("mcp__m__add")).toBe(false);
  });
  it("reports a collision after sanitising, naming both", () => {
    const tools: DownstreamTool[] = [
      { server: "s", name: "get-data", inputSchema: { type: "object" } },
      { server: "s", name: "get_data", inputSchema: { type: "object" } },
    ];
    const source: ToolSource = { tools: () => tools, servers: () => [], call: async () => text("x") };
    const c = new ToolCatalog(source, new ToolFilter({})).collisions();
    expect(c).toEqual([{ name: "mcp__s__get_data", first: "mcp__s__get-data", second: "mcp__s__get_data" }]);
  });
});

describe("result values (PTC-MCP v0.2 rules)", () => {
  it("parses JSON text, keeps plain strings, joins several texts, null for nothing", () => {
    expect(resultValue(text('{"a":1}'))).toEqual({ isError: false, value: { a: 1 } });
    expect(resultValue(text("[1,2]"))).toEqual({ isError: false, value: [1, 2] });
    expect(resultValue(text("Hello"))).toEqual({ isError: false, value: "Hello" });
    expect(resultValue(text("line1", "line2"))).toEqual({ isError: false, value: "line1\nline2" });
    expect(resultValue({ content: [] })).toEqual({ isError: false, value: null });
  });
  it("prefers structuredContent, keeps other text as _notes, unwraps FastMCP's wrapper", () => {
    const r = resultValue({ ...text('{"n":1}', "note"), structuredContent: { n: 1 } });
    expect(r).toEqual({ isError: false, value: { n: 1, _notes: ["note"] } });
    const wrapped = resultValue(
      { ...text(""), structuredContent: { result: '{"x":2}' } },
      { "x-fastmcp-wrap-result": true },
    );
    expect(wrapped).toEqual({ isError: false, value: { x: 2 } });
  });
  it("one JSON item among texts wins; non-text content is noted; isError is an error", () => {
    expect(resultValue(text("hdr", "[3]"))).toEqual({
      isError: false,
      value: { data: [3], _notes: ["hdr"] },
    });
    const img = resultValue({ content: [{ type: "image", data: "", mimeType: "image/png" }] });
    expect(img).toEqual({
      isError: false,
      value: { data: null, _notes: ["[non-text content omitted: image (image/png)]"] },
    });
    expect(resultValue({ ...text("boom"), isError: true })).toEqual({ isError: true, message: "boom" });
  });
});

describe("output and JSON truncation", () => {
  it("caps UTF-8 bytes without splitting characters", () => {
    expect(clipUtf8("éééé", 5)).toBe("éé");
    const b = new OutputBuffer(10);
    b.append("é".repeat(10));
    expect(Buffer.byteLength(b.text())).toBeLessThanOrEqual(10);
    expect(b.truncated).toBe(true);
  });
  it("keeps JSON valid: clips strings, keeps leading array items with a count", () => {
    const value = { s: "a".repeat(100_000), rows: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const cut = truncateJson(value, 5000);
    expect(cut.truncated).toBe(true);
    const json = JSON.stringify(cut.value);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(5000);
    const back = JSON.parse(json);
    expect(back.s).toMatch(/truncated: \d+ more chars/);
    expect(back.rows[0]).toEqual({ i: 0 });
    expect(back.rows.at(-1)).toMatch(/more items/);
    expect(truncateJson({ a: 1 }, 100)).toEqual({ value: { a: 1 }, truncated: false });
  });
});

describe("format", () => {
  const base = { maxOutputBytes: 1000, trace: "summary" as const };
  it("prints PTC-MCP's strings", () => {
    const ok = formatRun({ ok: true, output: "", outputTruncated: false, hasResult: false }, [], base, 10);
    expect(ok.content[0]).toEqual({ type: "text", text: "[Script executed successfully]\n(no output)" });
    const fail = formatRun(
      { ok: false, output: "partial\n", outputTruncated: true, hasResult: false, error: "Error: x" },
      [{ tool: "t", args: "{}", ok: false, ms: 1, error: "bad" }],
      base,
      1500,
    );
    expect((fail.content[0] as { text: string }).text).toBe(
      "[Script execution failed]\nError: x\n\n--- output before the error ---\npartial\n... (truncated)\n[tool calls: 1, 1 failed; 1.5s]\n  failed: t: bad",
    );
    expect(fail.isError).toBe(true);
  });
  it("lists at most five failures", () => {
    const trace = Array.from({ length: 7 }, (_, i) => ({
      tool: `t${i}`,
      args: "{}",
      ok: false,
      ms: 1,
      error: "e",
    }));
    expect(traceSummary(trace, 2)).toContain("  ... 2 more failures");
  });
});

describe("schema to TypeScript", () => {
  it("handles $ref, anyOf, enum, nested objects, arrays and JSDoc", () => {
    const ts = toolDeclaration({
      name: "mcp__db__query",
      description: "Run a query.",
      inputSchema: {
        type: "object",
        $defs: { Filter: { type: "object", properties: { field: { type: "string" } }, required: ["field"] } },
        properties: {
          sql: { type: "string", description: "The SQL" },
          mode: { enum: ["fast", "exact"] },
          filter: { $ref: "#/$defs/Filter" },
          limit: { anyOf: [{ type: "integer" }, { type: "null" }] },
          tags: { type: "array", items: { type: "string" } },
          "odd-key": { type: "boolean" },
        },
        required: ["sql"],
      },
    });
    expect(ts).toContain("type DbQueryInput = {");
    expect(ts).toContain("/** The SQL */\n  sql: string;");
    expect(ts).toContain('mode?: "fast" | "exact";');
    expect(ts).toContain("field: string;");
    expect(ts).toContain("limit?: number | null;");
    expect(ts).toContain("tags?: string[];");
    expect(ts).toContain('"odd-key"?: boolean;');
    expect(ts).toContain("type DbQueryOutput = unknown;");
    expect(ts).toContain("@param input.sql - The SQL");
  });
  it("stops at a depth limit on recursive schemas", () => {
    const ts = toolDeclaration({
      name: "mcp__t__tree",
      inputSchema: { type: "object", properties: { node: { $ref: "#" } } },
    });
    expect(ts).toContain("unknown");
  });
});

describe("search", () => {
  it("ranks by relevance", () => {
    const mk = (tool: string, description: string) => ({
      name: `mcp__s__${tool}`,
      exactName: `mcp__s__${tool}`,
      server: "s",
      tool,
      description,
      inputSchema: {},
    });
    const ranked = rankTools(
      [
        mk("create_issue", "Open a new issue"),
        mk("search_issues", "Find issues by text"),
        mk("get_weather", "Forecast"),
      ],
      "find issues",
    );
    expect(ranked[0]).toBe("mcp__s__search_issues");
    expect(ranked).not.toContain("mcp__s__get_weather");
  });
});

describe("config.yaml", () => {
  it("empty file and defaults", () => {
    const c = parsePtcConfig("", "c.yaml");
    expect(c.servers).toEqual([]);
    expect(c.limits.timeoutSeconds).toBe(120);
    expect(c.limits.maxOutputBytes).toBe(65536);
  });
  it("reads servers, tools and execution keys of both versions", () => {
    const c = parsePtcConfig(
      "servers:\n  - name: a\n    command: node\n  - name: b\n    transport: http\n    url: http://x/mcp\n    headers: {A: b}\ntools:\n  block: ['mcp__*__delete_*']\nexecution:\n  timeout_seconds: 5\n  max_output_bytes: 100\n  max_tool_calls: 3\n  max_concurrent_calls: 2\n  tool_call_timeout_seconds: 1\n  trace: 'off'\n  max_tool_result_bytes: 1000\n  sandbox: none\n",
      "c.yaml",
    );
    expect(c.servers.map((s) => s.transport)).toEqual(["stdio", "http"]);
    expect(c.block).toEqual(["mcp__*__delete_*"]);
    expect(c.limits).toMatchObject({ timeoutSeconds: 5, maxToolCalls: 3, trace: "off", sandbox: "none" });
  });
  it("validation messages", () => {
    const bad = (yaml: string) => () => parsePtcConfig(yaml, "c.yaml");
    expect(bad("tools:\n  allow: [a]\n  block: [b]\n")).toThrow(
      "'allow' and 'block' are mutually exclusive in tools config",
    );
    expect(bad("servers:\n  - name: a\n    transport: stdio\n")).toThrow(
      "stdio transport requires 'command'",
    );
    expect(bad("servers:\n  - name: a\n    transport: sse\n")).toThrow("sse transport requires 'url'");
    expect(bad("execution:\n  timeout_seconds: 0\n")).toThrow("execution.timeout_seconds must be > 0");
    expect(bad("execution:\n  trace: loud\n")).toThrow("execution.trace must be one of");
    expect(bad("execution:\n  sandbox: docker\n")).toThrow("execution.sandbox must be 'seatbelt' or 'none'");
    expect(bad("execution:\n  max_tool_result_bytes: 60000000\n")).toThrow(
      "execution.max_tool_result_bytes must be <= 50331648 (the script's channel limit)",
    );
  });
});
