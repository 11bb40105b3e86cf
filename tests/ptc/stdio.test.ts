import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, connectStdio, type StdioSession, waitFor } from "../helpers/mcpkit.ts";
import { callText, mockServerYaml, runProgram, writeConfig } from "./helpers.ts";

// PTC-MCP's black-box acceptance cases, through the real `mcpkit ptc` CLI with the mock server over stdio.
describe("mcpkit ptc over stdio with the mock downstream", () => {
  let s: StdioSession;
  beforeAll(async () => {
    const config = writeConfig(
      `servers:\n${mockServerYaml()}  - name: broken\n    command: /nonexistent/ptc-cmd\nexecution:\n  timeout_seconds: 3\n  max_output_bytes: 2000\n  tool_call_timeout_seconds: 1\n  max_tool_calls: 30\n  memory_limit_mb: 32\n`,
    );
    s = await connectStdio(["ptc"], {
      env: baseEnv({ PTC_MCP_CONFIG: config, SECRET_PROBE: "s3cret-value" }),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("declares its three tools with titles, annotations and output schemas", async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "execute_program",
      "inspect_tool",
      "list_callable_tools",
    ]);
    for (const t of tools) {
      expect(t.title).toBeTruthy();
      expect(t.outputSchema).toBeTruthy();
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof t.annotations?.[hint]).toBe("boolean");
      }
    }
  });

  it("lists namespaced tools sorted, with the unavailable server line", async () => {
    const r = await callText(s.client, "list_callable_tools");
    const names = JSON.parse(r.texts[0]!) as string[];
    expect(names).toContain("mcp__mock_test__add");
    expect(names).toContain("mcp__mock_test__get_user");
    expect(names).toEqual([...names].sort());
    expect(r.texts[0]).toContain('", "');
    expect(r.texts[1]).toMatch(/^UNAVAILABLE SERVERS \(their tools are not listed; reconnecting\): broken: /);
  });

  it("ranks tools by a query", async () => {
    const r = await callText(s.client, "list_callable_tools", { query: "greet a person by name" });
    expect((r.structured as { tools: string[] }).tools[0]).toBe("mcp__mock_test__greet");
  });

  it("inspects a tool: PTC-MCP's shape plus a TypeScript declaration", async () => {
    const plain = await callText(s.client, "inspect_tool", { tool_name: "mcp__mock_test__add" });
    const info = JSON.parse(plain.texts[0]!);
    expect(Object.keys(info).slice(0, 5)).toEqual([
      "name",
      "description",
      "inputSchema",
      "outputSchema",
      "note",
    ]);
    expect(info.outputSchema).toBeNull();
    expect(info.note).toContain("No output schema defined by the upstream server");
    expect(info.typescript).toContain("declare function mcp__mock_test__add(input: MockTestAddInput)");
    const typed = await callText(s.client, "inspect_tool", { tool_name: "mcp__mock_test__stats" });
    const stats = JSON.parse(typed.texts[0]!);
    expect(stats.outputSchema.properties.mean).toBeTruthy();
    expect(stats.note).toBeUndefined();
    expect(stats.typescript).toContain("/** Arithmetic mean */");
    const missing = await callText(s.client, "inspect_tool", { tool_name: "mcp__nonexistent__foo" });
    expect(missing.isError).toBe(true);
    expect(missing.texts[0]).toBe(
      "[Tool not found] 'mcp__nonexistent__foo' is not available in execute_program",
    );
  });

  it("runs a tool call and prints", async () => {
    const r = await runProgram(
      s.client,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder, not a template
      "const r = await mcp__mock_test__add({a: 10, b: 20})\nconsole.log(`Sum: ${r.result}`)",
    );
    expect(r.text.startsWith("[Script executed successfully]\nSum: 30")).toBe(true);
    expect(r.text).toMatch(/\[tool calls: 1; \d+\.\ds\]$/);
    expect(r.isError).toBe(false);
    expect(r.structured.ok).toBe(true);
    expect(r.structured.tool_calls[0]).toMatchObject({
      tool: "mcp__mock_test__add",
      ok: true,
      args: '{"a":10,"b":20}',
    });
  });

  it("says (no output) when nothing is printed", async () => {
    const r = await runProgram(s.client, "const x = 1 + 1;");
    expect(r.text).toBe("[Script executed successfully]\n(no output)");
  });

  it("loops and chains calls; the last expression is the result", async () => {
    const r = await runProgram(
      s.client,
      "const users = await mcp__mock_test__get_data({ key: 'users' })\nfor (const u of users) console.log(await mcp__mock_test__greet({ name: u.name }))\nusers.length",
    );
    expect(r.text).toContain("Hello, Alice!\nHello, Bob!");
    expect(r.text).toContain("\n--- result ---\n2");
    expect(r.structured.result).toBe(2);
  });

  it("prefers structuredContent and keeps extra text as _notes; hyphenated and exact names work", async () => {
    const r = await runProgram(
      s.client,
      "const st = await mcp__mock_test__stats({ values: [1, 2, 3] })\nconst u = await tools['mcp__mock-test__get-user']({ id: 2 })\nreturn { st, u }",
    );
    expect(r.structured.result).toEqual({
      st: { count: 3, mean: 2, _notes: ["computed locally"] },
      u: { id: 2, name: "Bob" },
    });
  });

  it("runtime errors: failed header, isError, line numbers, output before the error", async () => {
    const r = await runProgram(s.client, "console.log('first')\nconst x = 1\nnull.foo");
    expect(r.isError).toBe(true);
    expect(r.text.startsWith("[Script execution failed]\nTypeError")).toBe(true);
    expect(r.text).toContain("program.js:3:");
    expect(r.text).toContain("\n\n--- output before the error ---\nfirst");
    expect(r.structured.error_kind).toBe("runtime");
  });

  it("syntax errors name the right line", async () => {
    const r = await runProgram(s.client, "const a = 1\nconst b = 2\nfunction foo( {\n");
    expect(r.text).toMatch(/^\[Script execution failed\]\nSyntaxError: .*\(line 3\)/);
    expect(r.structured.error_kind).toBe("syntax");
  });

  it("unknown and blocked names fail clearly", async () => {
    const r = await runProgram(s.client, "await mcp__nonexistent__foo({})");
    expect(r.text).toContain("ReferenceError");
    expect(r.text).toContain("list_callable_tools");
    const viaTools = await runProgram(s.client, "await tools['mcp__nope__x']({})");
    expect(viaTools.text).toContain("[Tool not found] 'mcp__nope__x' is not available in execute_program");
  });

  it("a downstream isError raises a catchable ToolError", async () => {
    const r = await runProgram(
      s.client,
      "try { await mcp__mock_test__fail({}) } catch (e) { console.log(e instanceof ToolError, e.tool, e.message) }",
    );
    expect(r.text).toContain(
      "true mcp__mock_test__fail 'mcp__mock_test__fail' returned an error: mock failure",
    );
    expect(r.text).toContain("[tool calls: 1, 1 failed;");
    expect(r.text).toContain("\n  failed: mcp__mock_test__fail: ");
  });

  it("non-JSON and positional arguments are rejected before any call", async () => {
    const big = await runProgram(s.client, "await mcp__mock_test__add({ a: 1n, b: 2 })");
    expect(big.text).toContain("arguments to mcp__mock_test__add must be JSON-serializable");
    const pos = await runProgram(s.client, "await mcp__mock_test__add(1, 2)");
    expect(pos.text).toContain("takes one object argument");
    expect(pos.structured.tool_calls).toEqual([]);
  });

  it("program deadline: while(true) stops, and the server stays usable", async () => {
    const r = await runProgram(s.client, "while (true) {}", { timeout_seconds: 1 });
    expect(r.text).toBe("[Script execution failed]\nTimeoutError: Execution exceeded 1s limit");
    expect(r.structured.error_kind).toBe("timeout");
    const again = await runProgram(s.client, "1 + 1");
    expect(again.structured.result).toBe(2);
  });

  it("per-call timeout is a ToolError, distinct from the deadline", async () => {
    const r = await runProgram(s.client, "await mcp__mock_test__slow({ ms: 5000 })");
    expect(r.text).toContain("'mcp__mock_test__slow' timed out after 1s");
    expect(r.structured.error_kind).toBe("runtime");
  });

  it("tool-call budget has its own message", async () => {
    const r = await runProgram(
      s.client,
      "for (let i = 0; i < 40; i++) await mcp__mock_test__add({ a: i, b: 1 })",
    );
    expect(r.text).toContain("tool-call budget exhausted (max_tool_calls=30)");
  });

  it("memory limit has its own message", async () => {
    const r = await runProgram(s.client, "const a = []; for (;;) a.push('x'.repeat(2 ** 27) + a.length)");
    expect(r.structured.error_kind).toBe("memory");
    expect(r.text).toContain("MemoryError: the script exceeded its 32 MiB memory limit");
  });

  it("deep recursion fails cleanly", async () => {
    const r = await runProgram(s.client, "function f(n) { return f(n + 1) + 1 }\nf(0)");
    expect(r.structured.error_kind).toBe("stack");
    expect(r.text.length).toBeLessThan(3000);
  });

  it("output is capped in UTF-8 bytes with the truncation marker", async () => {
    const r = await runProgram(s.client, "console.log('é'.repeat(5000))");
    expect(r.text).toContain("\n... (truncated)");
    expect(Buffer.byteLength(r.structured.output, "utf8")).toBeLessThanOrEqual(2000);
    expect(r.structured.output_truncated).toBe(true);
  });

  it("a huge result is cut structurally and stays valid JSON", async () => {
    const r = await runProgram(
      s.client,
      "emit({ rows: Array.from({ length: 5000 }, (_, i) => ({ i, s: 'z'.repeat(50) })) })",
    );
    const json = r.text.split("\n--- result ---\n")[1]!;
    const parsed = JSON.parse(json);
    expect(r.structured.result_truncated).toBe(true);
    expect(String(parsed.rows.at(-1))).toMatch(/more items/);
  });

  it("state does not persist between runs", async () => {
    await runProgram(s.client, "globalThis.leak = 42; var x = 1");
    const r = await runProgram(s.client, "typeof leak + ' ' + typeof x");
    expect(r.structured.result).toBe("undefined undefined");
  });

  it("escape attempts find no host", async () => {
    const r = await runProgram(
      s.client,
      `const out = {}
out.ctor = this.constructor.constructor('return typeof process')()
out.fn = Function('return typeof globalThis.process + typeof require + typeof fetch + typeof Deno + typeof Bun')()
try { await import('node:fs'); out.imp = 'imported' } catch (e) { out.imp = e.name }
out.env = typeof process === 'undefined' ? 'none' : 'leak'
out`,
    );
    expect(r.structured.result).toEqual({
      ctor: "undefined",
      fn: "undefinedundefinedundefinedundefinedundefined",
      imp: "ReferenceError",
      env: "none",
    });
    expect(r.text).not.toContain("s3cret-value");
  });

  it("concurrent tool calls overlap inside one program", async () => {
    const r = await runProgram(
      s.client,
      "await Promise.all(Array.from({ length: 10 }, () => mcp__mock_test__slow({ ms: 200 })))",
    );
    expect(r.structured.ok).toBe(true);
    expect(r.structured.tool_calls).toHaveLength(10);
    expect((r.structured.result as unknown[]).length).toBe(10);
  });

  it("concurrent execute_program calls are independent", async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => runProgram(s.client, `globalThis.v = ${i}; await sleep(50); v`)),
    );
    expect(runs.map((r) => r.structured.result)).toEqual([0, 1, 2, 3]);
  });

  it("a cancelled request stops its program; the server stays usable", async () => {
    const ac = new AbortController();
    const pending = s.client.callTool(
      { name: "execute_program", arguments: { code: "await sleep(60000)" } },
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 100);
    await expect(pending).rejects.toThrow();
    const after = await runProgram(s.client, "'alive'");
    expect(after.structured.result).toBe("alive");
  });

  it("TypeScript is stripped and runs; TS syntax errors carry the line", async () => {
    const r = await runProgram(
      s.client,
      "interface P { name: string }\nconst p: P = { name: 'Ada' } as P\nconst g = await mcp__mock_test__greet({ name: p.name }) as string\ng",
      { language: "typescript" },
    );
    expect(r.structured.result).toBe("Hello, Ada!");
    const bad = await runProgram(s.client, "let a: number = 1\nlet b: string = 'x", {
      language: "typescript",
    });
    expect(bad.text).toMatch(/SyntaxError: .*line 2/);
  });

  it("helpers: server_status, inspect_tool and list_callable_tools inside a script", async () => {
    const r = await runProgram(
      s.client,
      "const st = server_status()\nreturn { up: st['mock-test'].connected, down: st.broken.connected, n: list_callable_tools().length > 5, t: inspect_tool('mcp__mock_test__add').name }",
    );
    expect(r.structured.result).toEqual({ up: true, down: false, n: true, t: "mcp__mock_test__add" });
  });

  it("a downstream that crashes mid-script fails the call; its tools come back after reconnecting", async () => {
    const r = await runProgram(
      s.client,
      "try { await mcp__mock_test__crash({}) } catch (e) { console.log('caught', e.name) }",
    );
    expect(r.text).toContain("caught ToolError");
    await waitFor(
      async () => (await runProgram(s.client, "await mcp__mock_test__greet({ name: 'back' })")).structured.ok,
      15_000,
      200,
    );
    const after = await runProgram(s.client, "await mcp__mock_test__greet({ name: 'back' })");
    expect(after.structured.result).toBe("Hello, back!");
  });

  it("the environment stays out of downstream children and scripts", async () => {
    const r = await runProgram(s.client, "await mcp__mock_test__env_probe({})");
    expect(r.structured.result).toEqual({ secret_set: false });
  });
});
