/**
 * JavaScript evaluated inside each fresh QuickJS context before the program. It receives the host bridge
 * (plain functions passing JSON strings), builds the script API on top of it — tool functions, `tools`,
 * ToolError, console, emit, sleep and the introspection helpers — and keeps the bridge in a closure so the
 * program cannot reach it. It returns `run(main)`, which awaits the program and serialises its result.
 */
export const QUICKJS_PRELUDE = String.raw`(function (host) {
  "use strict";
  class ToolError extends Error {
    constructor(message, tool, code) {
      super(message);
      this.name = "ToolError";
      this.tool = tool === undefined ? null : tool;
      this.code = code === undefined ? null : code;
      this.isError = true;
    }
  }

  // Converts a value to plain JSON data: Map → object, Set → array, BigInt → string, cycles marked.
  function toPlain(value, seen) {
    if (value === null) return null;
    const t = typeof value;
    if (t === "string" || t === "boolean") return value;
    if (t === "number") return Number.isFinite(value) ? value : String(value);
    if (t === "bigint") return value.toString();
    if (t === "undefined" || t === "function" || t === "symbol") return undefined;
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    try {
      if (typeof value.toJSON === "function") return toPlain(value.toJSON(), seen);
      if (value instanceof Error) return { name: value.name, message: value.message };
      if (value instanceof Map) value = Object.fromEntries(value);
      else if (value instanceof Set) value = Array.from(value);
      else if (ArrayBuffer.isView(value)) value = Array.from(value);
      if (Array.isArray(value)) return value.map((v) => { const p = toPlain(v, seen); return p === undefined ? null : p; });
      const out = {};
      for (const k of Object.keys(value)) {
        const p = toPlain(value[k], seen);
        if (p !== undefined) out[k] = p;
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
  const toJson = (value) => JSON.stringify(toPlain(value, new Set()));

  function format(value) {
    if (typeof value === "string") return value;
    if (value instanceof Error) return value.name + ": " + value.message;
    if (value === undefined) return "undefined";
    if (typeof value === "function") return "[Function " + (value.name || "anonymous") + "]";
    if (typeof value === "bigint") return value + "n";
    if (typeof value === "symbol") return value.toString();
    if (value === null || typeof value !== "object") return String(value);
    try { return toJson(value); } catch (e) { return String(value); }
  }
  const print = (stream) => (...args) => host.print(stream, args.map(format).join(" ") + "\n");
  const out = print("stdout");
  const err = print("stderr");
  globalThis.console = { log: out, info: out, debug: out, trace: out, warn: err, error: err };

  function kind(v) {
    return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
  }
  function argsJson(name, a) {
    if (a.length > 1) throw new TypeError(name + "() takes one object argument, e.g. " + name + "({ key: value })");
    const args = a[0] === undefined ? {} : a[0];
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      throw new TypeError(name + "() takes one object argument (the tool's arguments by name), got " + kind(args));
    }
    try {
      return JSON.stringify(args, (k, v) => {
        if (typeof v === "function" || typeof v === "symbol") throw new TypeError("a " + typeof v + " at '" + k + "' is not JSON");
        if (typeof v === "bigint") throw new TypeError("a BigInt at '" + k + "' is not JSON");
        if (typeof v === "number" && !Number.isFinite(v)) throw new TypeError(v + " at '" + k + "' is not JSON");
        return v;
      });
    } catch (e) {
      throw new TypeError("arguments to " + name + " must be JSON-serializable: " + (e && e.message ? e.message : String(e)));
    }
  }
  function makeTool(name) {
    const fn = async function (...a) {
      const json = argsJson(name, a);
      const outcome = JSON.parse(await host.call(name, json));
      if (!outcome.ok) throw new ToolError(outcome.error, name, outcome.code);
      return outcome.value;
    };
    Object.defineProperty(fn, "name", { value: name });
    return fn;
  }

  const registry = Object.create(null);
  for (const [name, exact] of JSON.parse(host.toolNames())) {
    const fn = makeTool(name);
    registry[name] = fn;
    registry[exact] = fn;
    globalThis[name] = fn;
  }
  globalThis.tools = new Proxy(registry, {
    get(target, key) {
      if (typeof key === "string" && !(key in target) && key.startsWith("mcp__")) {
        return async () => {
          throw new ToolError("[Tool not found] '" + key + "' is not available in execute_program", key, "unknown_tool");
        };
      }
      return target[key];
    },
    set() { return false; },
  });

  // QuickJS checks its interrupt only every few thousand steps, so a loop of slow builtins (a big repeat()
  // or fill() per turn) could run far past the deadline. Large calls ask the host first; past the deadline
  // they spin, and the spin is interrupted at once (uncatchably).
  const guard = (proto, name, size) => {
    const original = proto[name];
    Object.defineProperty(proto, name, {
      value: function (...a) {
        if (size(this, a) > 4096 && host.expired()) for (;;) {}
        return original.apply(this, a);
      },
      writable: true,
      configurable: true,
    });
  };
  guard(String.prototype, "repeat", (s, a) => String(s).length * (Number(a[0]) || 0));
  guard(String.prototype, "padStart", (s, a) => Number(a[0]) || 0);
  guard(String.prototype, "padEnd", (s, a) => Number(a[0]) || 0);
  guard(Array.prototype, "fill", (s) => Number(s && s.length) || 0);
  guard(Array.prototype, "join", (s) => Number(s && s.length) || 0);

  let emitted;
  globalThis.emit = (value) => { emitted = { value: toPlain(value, new Set()) }; };
  globalThis.sleep = (ms) => host.sleep(Number(ms) || 0);
  globalThis.list_callable_tools = (query) => JSON.parse(host.listTools(query === undefined ? "" : String(query)));
  globalThis.inspect_tool = (arg) => {
    const name = arg && typeof arg === "object" ? arg.tool_name : arg;
    const info = JSON.parse(host.inspect(String(name)));
    if (info === null) throw new ToolError("[Tool not found] '" + name + "' is not available in execute_program", String(name), "unknown_tool");
    return info;
  };
  globalThis.server_status = () => JSON.parse(host.status());
  globalThis.ToolError = ToolError;

  return async function run(main) {
    const value = await main();
    if (emitted) return JSON.stringify({ has: true, value: emitted.value === undefined ? null : emitted.value });
    const plain = toPlain(value, new Set());
    return plain === undefined ? JSON.stringify({ has: false }) : JSON.stringify({ has: true, value: plain });
  };
})`;
