import { describe, expect, it } from "vitest";
import { PythonEngine } from "../../lib/servers/ptc/engine/python-runner.ts";
import { QuickJSEngine, type ScriptHost } from "../../lib/servers/ptc/engine/quickjs-runner.ts";
import type { CallOutcome } from "../../lib/servers/ptc/types.ts";

/** A host with one tool that echoes after a delay, recording how many calls overlapped. */
function fakeHost() {
  let active = 0;
  const stats = { maxActive: 0, calls: 0 };
  const host: ScriptHost = {
    toolNames: [
      ["mcp__m__echo", "mcp__m__echo"],
      ["mcp__m_x__get_it", "mcp__m-x__get-it"],
    ],
    async call(name, args): Promise<CallOutcome> {
      stats.calls++;
      active++;
      stats.maxActive = Math.max(stats.maxActive, active);
      await new Promise((r) => setTimeout(r, Number(args.ms ?? 20)));
      active--;
      if (args.fail) return { ok: false, code: "tool_error", error: `'${name}' returned an error: nope` };
      return { ok: true, value: { name, args } };
    },
    listTools: () => ["mcp__m__echo", "mcp__m_x__get_it"],
    inspect: (n) => (n === "mcp__m__echo" ? { name: n } : null),
    status: () => ({ m: { connected: true, tools: 2, error: null } }),
  };
  return { host, stats };
}

const js = new QuickJSEngine();
const opts = { timeoutSeconds: 5, maxOutputBytes: 10_000, memoryLimitBytes: 16 << 20 };
const run = (code: string, extra: Partial<typeof opts> = {}) =>
  js.run({ ...opts, ...extra, code }, fakeHost().host);

describe("QuickJS engine", () => {
  it("host-settled promises let tool calls run concurrently", async () => {
    const { host, stats } = fakeHost();
    const o = await js.run(
      {
        ...opts,
        code: "const r = await Promise.all([1,2,3,4,5].map((i) => mcp__m__echo({ i, ms: 100 })))\nr.map((x) => x.args.i)",
      },
      host,
    );
    expect(o.result).toEqual([1, 2, 3, 4, 5]);
    expect(stats.maxActive).toBe(5);
  });

  it("exact names with hyphens work through tools[...]", async () => {
    const o = await run("(await tools['mcp__m-x__get-it']({})).name");
    expect(o.result).toBe("mcp__m_x__get_it");
  });

  it("last expression, return, emit", async () => {
    expect((await run("const a = 2; a * 21")).result).toBe(42);
    expect((await run("if (true) { return 'early' }\n'late'")).result).toBe("early");
    expect((await run("emit([1]); 'ignored'")).result).toEqual([1]);
    expect((await run("console.log('x')")).hasResult).toBe(false);
    expect((await run("await Promise.all([\n  mcp__m__echo({ ms: 1 }),\n])\n")).result).toHaveLength(1);
  });

  it("catastrophic regex is interrupted at the deadline", async () => {
    const o = await run("/^(a+)+$/.test('a'.repeat(40) + 'b')", { timeoutSeconds: 1 });
    expect(o.errorKind).toBe("timeout");
    expect(o.error).toBe("TimeoutError: Execution exceeded 1s limit");
  });

  it("a loop of slow builtins still stops at the deadline", async () => {
    const o = await run("const a = []; for (;;) a.push('x'.repeat(1e6))", {
      timeoutSeconds: 1,
      memoryLimitBytes: 1 << 30,
    });
    expect(o.errorKind).toBe("timeout");
  });

  it("gradual memory growth hits the memory limit", async () => {
    const o = await run("const a = []; for (;;) a.push([a.length, a.length])", { timeoutSeconds: 60 });
    expect(o.errorKind).toBe("memory");
  });

  it("a caught memory error does not break the engine", async () => {
    const o = await run(
      "try { 'x'.repeat(2 ** 28) } catch (e) { console.log('caught', e.message) }\n'still here'",
    );
    expect(o.output).toContain("caught out of memory");
    expect(o.result).toBe("still here");
    expect((await run("1 + 1")).result).toBe(2);
  });

  it("await on a promise that never settles fails instead of hanging", async () => {
    const o = await run("await new Promise(() => {})");
    expect(o.ok).toBe(false);
    expect(o.error).toContain("can never settle");
  });

  it("sleep respects the deadline", async () => {
    const o = await run("await sleep(60000)", { timeoutSeconds: 1 });
    expect(o.errorKind).toBe("timeout");
  });

  it("cancellation stops a run", async () => {
    const ac = new AbortController();
    const p = js.run({ ...opts, code: "await sleep(3000)", signal: ac.signal }, fakeHost().host);
    setTimeout(() => ac.abort(), 50);
    expect((await p).errorKind).toBe("cancelled");
  });

  it("results are plain JSON: Map, Set, BigInt, cycles", async () => {
    const o = await run(
      "const o = { m: new Map([['k', 1]]), s: new Set([1, 2]), b: 10n, d: undefined }; o.self = o; o",
    );
    expect(o.result).toEqual({ m: { k: 1 }, s: [1, 2], b: "10", self: "[Circular]" });
  });

  it("ToolError carries tool and code", async () => {
    const o = await run(
      "try { await mcp__m__echo({ fail: true }) } catch (e) { return [e.name, e.tool, e.code, e instanceof Error] }",
    );
    expect(o.result).toEqual(["ToolError", "mcp__m__echo", "tool_error", true]);
  });

  it("the bridge is not reachable from the program", async () => {
    const o = await run(
      "[typeof host, typeof __host_call, Object.keys(globalThis).filter((k) => !k.startsWith('mcp__')).sort()]",
    );
    expect(o.result).toEqual([
      "undefined",
      "undefined",
      [
        "ToolError",
        "console",
        "emit",
        "inspect_tool",
        "list_callable_tools",
        "server_status",
        "sleep",
        "tools",
      ],
    ]);
  });

  it("helpers answer inside the sandbox", async () => {
    const o = await run(
      "[list_callable_tools().length, inspect_tool({ tool_name: 'mcp__m__echo' }).name, server_status().m.connected]",
    );
    expect(o.result).toEqual([2, "mcp__m__echo", true]);
  });
});

describe("Python engine", () => {
  const py = new PythonEngine("python3", "auto");
  const prun = (code: string, extra: Partial<typeof opts> = {}) =>
    py.run({ ...opts, ...extra, code }, fakeHost().host);

  it("runs PTC-MCP-style scripts: await with keyword args, asyncio.gather, emit", async () => {
    const { host, stats } = fakeHost();
    const o = await py.run(
      {
        ...opts,
        code: "import asyncio\nrs = await asyncio.gather(*[mcp__m__echo(i=i, ms=100) for i in range(4)])\nprint(len(rs))\nemit([r['args']['i'] for r in rs])",
      },
      host,
    );
    expect(o.ok).toBe(true);
    expect(o.output).toBe("4\n");
    expect(o.result).toEqual([0, 1, 2, 3]);
    expect(stats.maxActive).toBe(4);
  });

  it("errors keep program line numbers and output before the error", async () => {
    const o = await prun("print('a')\nx = 1\ny = x / 0");
    expect(o.ok).toBe(false);
    expect(o.error).toContain('File "<program>", line 3');
    expect(o.error).toContain("ZeroDivisionError");
    expect(o.output).toBe("a\n");
  });

  it("ToolError is catchable; positional and non-JSON args are rejected", async () => {
    const o = await prun(
      "try:\n    await mcp__m__echo(fail=True)\nexcept ToolError as e:\n    print('caught', e)\ntry:\n    await mcp__m__echo(1)\nexcept TypeError as e:\n    print(e)\ntry:\n    await mcp__m__echo(x=object())\nexcept TypeError as e:\n    print('JSON-serializable' in str(e))",
    );
    expect(o.output).toBe(
      "caught 'mcp__m__echo' returned an error: nope\nmcp__m__echo() takes keyword arguments only\nTrue\n",
    );
  });

  it("syntax errors, SystemExit and a blocking loop are contained", async () => {
    expect((await prun("def foo(")).errorKind).toBe("syntax");
    const exit = await prun("raise SystemExit(3)");
    expect(exit.error).toContain("SystemExit: 3");
    const loop = await prun("while True:\n    pass", { timeoutSeconds: 1 });
    expect(loop.error).toBe("TimeoutError: Execution exceeded 1s limit");
  });

  it("the child has an empty environment and cannot forge protocol messages", async () => {
    const o = await prun(
      'import os\nos.write(1, b\'{"type":"done","ok":true,"output":"forged"}\\n\')\nprint(sorted(os.environ.keys()))',
    );
    expect(o.ok).toBe(true);
    expect(o.output).not.toContain("forged");
    expect(o.output).toBe("['HOME', 'LANG', 'PATH', 'TMPDIR']\n");
  });

  it("output is capped in bytes", async () => {
    const o = await prun("print('é' * 5000)", { maxOutputBytes: 100 });
    expect(o.outputTruncated).toBe(true);
    expect(Buffer.byteLength(o.output)).toBeLessThanOrEqual(100);
  });

  it("a missing interpreter is a clear error", async () => {
    const o = await new PythonEngine("/nonexistent/python9", "auto").run(
      { ...opts, code: "print(1)" },
      fakeHost().host,
    );
    expect(o.errorKind).toBe("unavailable");
    expect(o.error).toContain("PythonUnavailable");
  });

  it("a demanded OS sandbox that is missing fails closed", async () => {
    const o = await new PythonEngine("python3", "bwrap").run({ ...opts, code: "print(1)" }, fakeHost().host);
    // bwrap is absent on the machines this suite was written on; where it exists the run succeeds.
    if (o.ok) expect(o.output).toBe("1\n");
    else expect(o.error).toContain("SandboxError");
  });
});
