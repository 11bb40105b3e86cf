import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import { McpServer } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/mcpkit.ts";

// No file under lib/ may use the SDK's private API or patch its objects: names are taken from the SDK
// itself (its instances' `_` fields, its classes' methods), so the check follows the SDK as it changes.

/** Named by issue #18: the internals mcpkit used to reach into. Any mention in code counts. */
const ALWAYS_FORBIDDEN = ["_requestHandlers", "_capabilities", "assertCanSetRequestHandler"];

function sdkObjects(): object[] {
  const mcp = new McpServer({ name: "probe", version: "0" });
  return [
    mcp,
    mcp.server,
    new Client({ name: "probe", version: "0" }),
    new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined }),
    new StreamableHTTPClientTransport(new URL("http://127.0.0.1:9/mcp")),
    new StdioClientTransport({ command: "true" }),
  ];
}

/** Underscore members of SDK objects (fields and methods): private by the SDK's own convention. */
function privateNames(objects: object[]): Set<string> {
  const names = new Set(ALWAYS_FORBIDDEN);
  for (const o of objects) {
    for (let p: object | null = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const n of Object.getOwnPropertyNames(p)) if (n.startsWith("_")) names.add(n);
    }
  }
  return names;
}

/** Methods of SDK classes: assigning one of them on an object is monkeypatching the SDK. */
function methodNames(objects: object[]): Set<string> {
  const names = new Set<string>();
  for (const o of objects) {
    for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const n of Object.getOwnPropertyNames(p)) {
        const d = Object.getOwnPropertyDescriptor(p, n);
        if (n !== "constructor" && typeof d?.value === "function") names.add(n);
      }
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Code without comments (block comments and whole-line or trailing `//` comments), lines kept. */
function stripComments(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[\s;{}(),])\/\/.*$/gm, "$1");
}

const literal = (s: string) => s.replace(/[$]/g, "\\$");

/** Every use of private SDK API or patch of an SDK method in `sources`, as `path:line: text`. */
function findViolations(
  sources: { path: string; text: string }[],
  privates: Set<string>,
  methods: Set<string>,
): string[] {
  const privateUse = new RegExp(
    `(?:(?<!\\bthis)\\.\\s*|\\[\\s*["'\`])(${[...privates].map(literal).join("|")})\\b`,
  );
  const named = new RegExp(`\\b(${ALWAYS_FORBIDDEN.join("|")})\\b`);
  const methodList = [...methods].map(literal).join("|");
  const patch = new RegExp(
    `(?:(?<!\\bthis)\\.\\s*(${methodList})|\\[\\s*["'\`](${methodList})["'\`]\\s*\\])\\s*=(?![=>])` +
      `|defineProperty\\([^,]+,\\s*["'\`](${methodList})["'\`]` +
      `|\\.prototype\\.(${methodList})\\s*=(?!=)`,
  );
  const out: string[] = [];
  for (const { path, text } of sources) {
    stripComments(text)
      .split("\n")
      .forEach((line, i) => {
        if (privateUse.test(line) || named.test(line) || patch.test(line))
          out.push(`${path}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

describe("no private SDK API under lib/", () => {
  const objects = sdkObjects();
  const privates = privateNames(objects);
  const methods = methodNames(objects);

  it("knows the SDK's private names and methods (the lists are not empty)", () => {
    for (const n of ["_requestHandlers", "_capabilities", "_registeredTools"]) expect(privates).toContain(n);
    for (const n of ["setRequestHandler", "assertCanSetRequestHandler", "connect", "registerTool"]) {
      expect(methods).toContain(n);
    }
  });

  it("catches each kind of violation, and not the look-alikes", () => {
    const sample = [
      "const h = (server as any)._requestHandlers;",
      "server.server.assertCanSetRequestHandler = () => {};",
      'mcp["setRequestHandler"] = wrapped;',
      'Object.defineProperty(server, "connect", { value: f });',
      "Server.prototype.notification = spy;",
      "const caps = x._capabilities ?? {};",
      // look-alikes: protocol fields, own members, comparisons, arrow functions, comments
      "const token = ctx.mcpReq._meta?.progressToken;",
      "this._transport = transport;",
      "if (a.connect === b) return;",
      "transport.onclose = () => done();",
      "// the old code used _requestHandlers here",
      'server.setRequestHandler("tools/list", list);',
    ];
    const found = findViolations([{ path: "sample.ts", text: sample.join("\n") }], privates, methods);
    expect(found.map((v) => Number(v.split(":")[1]))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("finds no use of private SDK API and no patched SDK method in lib/", () => {
    const sources = sourceFiles(join(ROOT, "lib")).map((f) => ({
      path: relative(ROOT, f),
      text: readFileSync(f, "utf8"),
    }));
    expect(sources.length).toBeGreaterThan(50);
    expect(findViolations(sources, privates, methods)).toEqual([]);
  });
});
