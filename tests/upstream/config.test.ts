// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax under test, not a template
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/core/errors.ts";
import {
  loadSpecsFromFile,
  parseMcpJson,
  parsePtcConfigYaml,
  type UpstreamSpec,
} from "../../lib/upstream/index.ts";

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("parseMcpJson", () => {
  it("reads local and remote entries, tolerating type: stdio and streamable-http", () => {
    const specs = parseMcpJson(
      JSON.stringify({
        autoStart: ["fs"],
        mcpServers: {
          fs: {
            command: "npx",
            args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
            env: { DEBUG: 1 },
          },
          typed: { type: "stdio", command: "uvx", args: ["mcp-server-git"] },
          local: { command: "./bin/server", cwd: "sub" },
          remote: {
            type: "http",
            url: "https://example.com/mcp",
            headers: { Authorization: "Bearer ${TOKEN}" },
          },
          streamable: { type: "streamable-http", url: "http://127.0.0.1:3000/mcp" },
          legacy: { type: "sse", url: "http://127.0.0.1:3001/sse" },
          untyped: { url: "${REMOTE_URL}" },
        },
      }),
      "/proj/.mcp.json",
    );
    const byName = Object.fromEntries(specs.map((s) => [s.name, s])) as Record<string, UpstreamSpec>;
    expect(byName.fs).toEqual({
      name: "fs",
      transport: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
      env: { DEBUG: "1" },
      source: "/proj/.mcp.json",
    });
    expect(byName.typed).toMatchObject({
      transport: "stdio",
      command: "uvx",
      args: ["mcp-server-git"],
      env: {},
    });
    // Paths in the file are relative to the file, not to where we were started.
    expect(byName.local).toMatchObject({ command: join("/proj", "bin/server"), cwd: join("/proj", "sub") });
    expect(byName.remote).toMatchObject({
      transport: "http",
      url: "https://example.com/mcp",
      headers: { Authorization: "Bearer ${TOKEN}" },
    });
    expect(byName.streamable).toMatchObject({ transport: "http", headers: {} });
    expect(byName.legacy).toMatchObject({ transport: "sse" });
    expect(byName.untyped).toMatchObject({ transport: "http", url: "${REMOTE_URL}" });
  });

  it("bad input is a ConfigError naming the file and the entry", () => {
    const cases: Array<[string, RegExp]> = [
      ["{not json", /cfg\.json: not valid JSON/],
      [JSON.stringify({ servers: {} }), /cfg\.json: expected an object with an 'mcpServers' object/],
      [JSON.stringify({ mcpServers: { a: { args: ["x"] } } }), /cfg\.json: mcpServers\.a: needs 'command'/],
      [
        JSON.stringify({ mcpServers: { a: { command: "x", args: "y" } } }),
        /mcpServers\.a\.args: expected array/,
      ],
      [
        JSON.stringify({ mcpServers: { a: { command: "x", args: [1] } } }),
        /mcpServers\.a\.args\[0\]: expected string/,
      ],
      [JSON.stringify({ mcpServers: { a: { type: "ws", url: "ws://x" } } }), /unknown type 'ws'/],
      [
        JSON.stringify({ mcpServers: { a: { type: "http", url: "not a url" } } }),
        /'url' must be an http\(s\) URL/,
      ],
      [JSON.stringify({ mcpServers: { a: "npx foo" } }), /mcpServers\.a: expected an object/],
    ];
    for (const [text, pattern] of cases) {
      const err = errorOf(() => parseMcpJson(text, "/x/cfg.json"));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(pattern);
    }
  });
});

describe("the protocol key (mcpkit's own)", () => {
  it("is read from .mcp.json entries, local and remote; absent means the 2025 default", () => {
    const specs = parseMcpJson(
      JSON.stringify({
        mcpServers: {
          a: { command: "x", protocol: "auto" },
          b: { url: "http://127.0.0.1:1/mcp", protocol: 2026 },
          c: { command: "y" },
        },
      }),
      "/p/.mcp.json",
    );
    expect(specs.map((s) => s.protocol)).toEqual(["auto", "2026", undefined]);
    const bad = errorOf(() =>
      parseMcpJson(JSON.stringify({ mcpServers: { a: { command: "x", protocol: "2027" } } }), "/p/.mcp.json"),
    );
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.message).toBe("/p/.mcp.json: mcpServers.a.protocol: 'protocol' must be auto, 2025 or 2026");
  });

  it("is read from config.yaml servers (a bare 2026 is a number in YAML)", () => {
    const specs = parsePtcConfigYaml(
      "servers:\n  - name: a\n    command: x\n    protocol: 2026\n  - name: b\n    transport: http\n    url: http://127.0.0.1:1/mcp\n    protocol: auto\n",
      "/p/config.yaml",
    );
    expect(specs.map((s) => s.protocol)).toEqual(["2026", "auto"]);
    const bad = errorOf(() =>
      parsePtcConfigYaml("servers:\n  - name: a\n    command: x\n    protocol: new\n", "/p/c.yaml"),
    );
    expect(bad.message).toBe(
      "/p/c.yaml: servers[0].protocol: 'protocol' must be auto, 2025 or 2026 (line 4)",
    );
  });
});

describe("parsePtcConfigYaml", () => {
  it("reads the servers list and ignores ptc's own sections", () => {
    const specs = parsePtcConfigYaml(
      [
        "servers:",
        "  - name: financial-data",
        "    command: node",
        '    args: ["./dist/index.js", 8080]',
        "    env: {API_KEY: x}",
        "  - name: internal-apis",
        "    transport: sse",
        '    url: "http://localhost:8080/mcp"',
        '    headers: {Authorization: "Bearer ${TOKEN}"}',
        "  - name: modern",
        "    transport: http",
        "    url: https://example.com/mcp",
        "tools:",
        '  block: ["mcp__internal_apis__delete_resource"]',
        "execution:",
        "  timeout_seconds: 120",
      ].join("\n"),
      "config.yaml",
    );
    expect(specs).toEqual([
      {
        name: "financial-data",
        transport: "stdio",
        command: "node",
        args: ["./dist/index.js", "8080"],
        env: { API_KEY: "x" },
        source: "config.yaml",
      },
      {
        name: "internal-apis",
        transport: "sse",
        url: "http://localhost:8080/mcp",
        headers: { Authorization: "Bearer ${TOKEN}" },
        source: "config.yaml",
      },
      {
        name: "modern",
        transport: "http",
        url: "https://example.com/mcp",
        headers: {},
        source: "config.yaml",
      },
    ]);
  });

  it("an empty file or a missing servers key means no servers", () => {
    expect(parsePtcConfigYaml("", "c.yaml")).toEqual([]);
    expect(parsePtcConfigYaml("execution:\n  timeout_seconds: 5\n", "c.yaml")).toEqual([]);
    expect(parsePtcConfigYaml("servers:\n", "c.yaml")).toEqual([]);
  });

  it("bad input is a ConfigError with the file, the reason and the line", () => {
    const cases: Array<[string, RegExp]> = [
      [
        "servers:\n  - name: a\n    transport: stdio\n",
        /c\.yaml: server 'a': stdio transport requires 'command' \(line 2\)/,
      ],
      ["servers:\n  - name: b\n    transport: sse\n", /server 'b': sse transport requires 'url'/],
      [
        "servers:\n  - name: g\n    transport: grpc\n    url: http://x\n",
        /server 'g': unknown transport 'grpc' \(expected one of stdio, sse, http\) \(line 3\)/,
      ],
      [
        "servers:\n  - name: a\n    command: x\n  - name: a\n    command: y\n",
        /server 'a': duplicate server name \(line 4\)/,
      ],
      ["servers:\n  - command: x\n", /servers\[0\]\.name: expected string/],
      [
        "servers:\n  - name: a\n    command: x\n    args: nope\n",
        /servers\[0\]\.args: expected array.*\(line 4\)/,
      ],
      ["servers: {a: 1}\n", /servers: expected a list of servers \(line 1\)/],
      ["servers:\n  - name: a\n    command: [unclosed\n", /not valid YAML .*\(line \d+\)/],
      ["- just\n- a list\n", /expected a mapping at the top level/],
    ];
    for (const [text, pattern] of cases) {
      const err = errorOf(() => parsePtcConfigYaml(text, "c.yaml"));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(pattern);
    }
  });
});

describe("loadSpecsFromFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-specs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("picks the parser by extension, or by content when the extension says nothing", () => {
    const json = join(dir, ".mcp.json");
    writeFileSync(json, JSON.stringify({ mcpServers: { a: { command: "x" } } }));
    const yaml = join(dir, "config.yaml");
    writeFileSync(yaml, "servers:\n  - name: b\n    command: y\n");
    const sniffJson = join(dir, "servers.conf");
    writeFileSync(sniffJson, ` {"mcpServers": {"c": {"url": "http://127.0.0.1:1/mcp"}}}`);
    const sniffYaml = join(dir, "ptc.conf");
    writeFileSync(sniffYaml, "servers:\n  - name: d\n    command: z\n");
    expect(loadSpecsFromFile(json).map((s) => s.name)).toEqual(["a"]);
    expect(loadSpecsFromFile(yaml).map((s) => s.name)).toEqual(["b"]);
    expect(loadSpecsFromFile(sniffJson)).toMatchObject([{ name: "c", transport: "http" }]);
    expect(loadSpecsFromFile(sniffYaml)).toMatchObject([{ name: "d", transport: "stdio" }]);
  });

  it("a missing file is a ConfigError naming it", () => {
    const missing = join(dir, "nope.json");
    const err = errorOf(() => loadSpecsFromFile(missing));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(missing);
    expect(err.message).toContain("does not exist");
  });
});
