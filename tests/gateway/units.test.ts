import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/core/errors.ts";
import { globToRegExp } from "../../lib/core/glob.ts";
import { Catalog } from "../../lib/servers/gateway/catalog.ts";
import { rejectCredential, rejectVariableName } from "../../lib/servers/gateway/env-store.ts";
import { Manifest } from "../../lib/servers/gateway/manifest.ts";
import { capOutput } from "../../lib/servers/gateway/output-cap.ts";
import { Policy, PolicySchema } from "../../lib/servers/gateway/policy.ts";
import { OutputRedactor } from "../../lib/servers/gateway/redaction.ts";
import { inferRisk } from "../../lib/servers/gateway/risk.ts";
import { validateArgs } from "../../lib/servers/gateway/schema-validate.ts";
import { Bm25Index } from "../../lib/servers/gateway/search/bm25.ts";
import { tokenize } from "../../lib/servers/gateway/search/tokenize.ts";
import { parseStructured } from "../../lib/servers/gateway/structured-file.ts";
import { recordFromTool } from "../../lib/servers/gateway/tool-record.ts";

describe("search", () => {
  it("tokenizes camelCase, snake_case and server::tool ids", () => {
    expect(tokenize("github::listIssues_for-repo")).toEqual(["github", "list", "issues", "repo"]);
  });

  it("BM25 ranks the document that matches more rare terms first", () => {
    const idx = new Bm25Index(
      [
        { id: "a", fields: { name: "list files", description: "list files in a directory" } },
        { id: "b", fields: { name: "read file", description: "read one file" } },
        { id: "c", fields: { name: "send email", description: "send an email message" } },
      ],
      { name: 3, description: 1 },
    );
    const scores = idx.score("read file");
    expect([...scores.entries()].sort((x, y) => y[1] - x[1])[0]![0]).toBe("b");
    expect(scores.has("c")).toBe(false);
  });

  it("the catalog boosts exact and prefix name matches and applies filters", () => {
    const cat = new Catalog();
    cat.setLive("s", [
      recordFromTool("s", {
        name: "search",
        description: "search things",
        annotations: { readOnlyHint: true },
      }),
      recordFromTool("s", { name: "search_issues", description: "find issues by text" }),
      recordFromTool("s", { name: "delete_issue", description: "remove an issue for search hygiene" }),
    ]);
    const q = (query: string, extra = {}) =>
      cat
        .search({ query, limit: 10, includeOffline: false, allowed: () => true, ...extra })
        .results.map((r) => r.name);
    expect(q("search")[0]).toBe("search");
    expect(q("search_iss")[0]).toBe("search_issues");
    expect(q("search", { riskMax: "low" })).not.toContain("delete_issue");
    expect(q("search", { riskMax: "high" })).toContain("delete_issue");
    const all = cat.search({ limit: 1, includeOffline: false, allowed: (_s, t) => t !== "search" });
    expect(all).toMatchObject({ total: 2, truncated: true });
  });

  it("searches 5,000 tools", () => {
    const cat = new Catalog();
    for (let s = 0; s < 50; s++) {
      cat.setLive(
        `srv${s}`,
        Array.from({ length: 100 }, (_, i) =>
          recordFromTool(`srv${s}`, {
            name: `tool_${i}_${s % 7 ? "fetch" : "store"}`,
            description: `does thing ${i} of ${s}`,
          }),
        ),
      );
    }
    const r = cat.search({ query: "store thing", limit: 5, includeOffline: false, allowed: () => true });
    expect(r.results).toHaveLength(5);
    expect(r.total).toBe(5000);
    expect(r.results[0]!.name).toContain("store");
  });
});

describe("risk, schema validation, policy", () => {
  it("risk comes from annotations first, then keywords", () => {
    expect(inferRisk("delete_repo", "")).toBe("high");
    expect(inferRisk("list_repos", "")).toBe("low");
    expect(inferRisk("delete_repo", "", { readOnlyHint: true })).toBe("low");
    expect(inferRisk("frobnicate", "", { destructiveHint: true })).toBe("high");
    expect(inferRisk("frobnicate", "does a thing")).toBe("medium");
  });

  it("validates the common JSON-schema subset", () => {
    const schema = {
      type: "object",
      properties: {
        n: { type: "integer", minimum: 1 },
        tags: { type: "array", items: { type: "string" }, maxItems: 2 },
        mode: { enum: ["a", "b"] },
        nested: { $ref: "#/$defs/pt" },
      },
      required: ["n"],
      additionalProperties: false,
      $defs: { pt: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
    };
    expect(validateArgs(schema, { n: 2, tags: ["a"], mode: "a", nested: { x: 1.5 } })).toEqual([]);
    const errs = validateArgs(schema, { n: 1.5, tags: ["a", 2, "c"], mode: "z", nested: {}, extra: 1 }, 10);
    expect(errs).toEqual(
      expect.arrayContaining([
        "$.n: expected integer, got number",
        "$.tags: must have at most 2 items",
        "$.tags[1]: expected string, got integer",
        '$.nested: missing required property "x"',
        '$: unknown property "extra"',
      ]),
    );
    expect(validateArgs(schema, {})).toEqual(['$: missing required property "n"']);
  });

  it("policy globs are case-sensitive and deny wins", () => {
    expect(globToRegExp("*::delete_*").test("github::delete_repo")).toBe(true);
    const p = new Policy(
      PolicySchema.parse({
        servers: { denylist: ["blocked-*", "Secret*"] },
        tools: { allowlist: ["github::*", "x::*"], denylist: ["*::delete_*"] },
      }),
    );
    expect(p.serverAllowed("blocked-server")).toBe(false);
    expect(p.serverAllowed("secretserver")).toBe(true);
    expect(p.serverAllowed("SecretServer")).toBe(false);
    expect(p.toolAllowed("github", "create_issue")).toBe(true);
    expect(p.toolAllowed("github", "delete_repo")).toBe(false);
    expect(p.toolAllowed("slack", "post")).toBe(false);
  });

  it("file errors name the line", () => {
    expect(() =>
      parseStructured("limits:\n  max_output_bytes: 10\n", "p.yaml", PolicySchema, "policy"),
    ).toThrow(/p\.yaml:2: limits\.max_output_bytes/);
    expect(() => parseStructured('{\n"servers": [}', "p.json", PolicySchema, "policy")).toThrow(ConfigError);
  });
});

describe("output caps, redaction, credentials, manifest", () => {
  const red = new OutputRedactor([/(password)\s*[:=]\s*(\S+)/gi]);
  const cap = (text: string, maxBytes = 1000, maxTokens = 4000) =>
    capOutput(
      { content: [{ type: "text", text }] },
      { maxBytes, maxTokens },
      (s) => red.redact(s),
      (v) => red.redactValue(v),
    );

  it("caps by bytes and by tokens, and leaves short output alone", async () => {
    const big = await cap("x".repeat(100_000));
    expect(big.truncated).toBe(true);
    expect(big.rawBytes).toBe(100_000);
    expect((big.content[0]!.text as string).length).toBeLessThan(1200);
    const words = await cap("word ".repeat(5000), 1_000_000, 100);
    expect(words.truncated).toBe(true);
    expect((words.content[0]!.text as string).split("word").length).toBeLessThan(120);
    expect(await cap("short output")).toMatchObject({
      truncated: false,
      content: [{ type: "text", text: "short output" }],
    });
  });

  it("shares the token budget across blocks, counting small blocks only when it matters", async () => {
    const { encode } = await import("gpt-tokenizer");
    const blocks = Array.from({ length: 6 }, (_, i) => ({ type: "text", text: `block ${i} `.repeat(30) }));
    const perBlock = encode(blocks[0]!.text).length;
    // Room for about three blocks' tokens but far more bytes: the later blocks must be cut or dropped.
    const out = await capOutput(
      { content: blocks },
      { maxBytes: 1_000_000, maxTokens: perBlock * 3 + 5 },
      (s) => s,
      (v) => v,
    );
    expect(out.truncated).toBe(true);
    const total = out.content
      .map((c) => encode((c.text as string).split("\n[... output truncated")[0]!).length)
      .reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(perBlock * 3 + 5);
    expect(out.content[0]!.text).toBe(blocks[0]!.text);
    // Everything fits: nothing is cut.
    const all = await capOutput(
      { content: blocks },
      { maxBytes: 1_000_000, maxTokens: 100_000 },
      (s) => s,
      (v) => v,
    );
    expect(all.truncated).toBe(false);
    expect(all.content.map((c) => c.text)).toEqual(blocks.map((b) => b.text));
  });

  it("redacts built-in token shapes and policy patterns, keeping the key name", () => {
    const out = red.redact(
      "tokens: ghp_1234567890abcdefghij1234 password=hunter22 Authorization: Bearer abcdefghijkl",
    );
    expect(out).not.toMatch(/ghp_|hunter22|abcdefghijkl/);
    expect(out).toContain("password=[REDACTED]");
  });

  it("refuses loader variables, non-credential names and multi-line credentials", () => {
    for (const name of [
      "LD_PRELOAD",
      "DYLD_INSERT_LIBRARIES",
      "PATH",
      "NODE_OPTIONS",
      "PYTHONPATH",
      "BASH_ENV",
    ]) {
      expect(rejectVariableName(name, [name])).toBeDefined();
    }
    expect(rejectVariableName("EDITOR", [])).toBeDefined();
    expect(rejectVariableName("MY_SERVICE_TOKEN", [])).toBeUndefined();
    expect(rejectCredential("a\nB=c")).toBeDefined();
    expect(rejectCredential("with spaces # and = signs")).toBeUndefined();
  });

  it("the shipped manifest parses and ranks servers for a query", () => {
    const m = new Manifest();
    expect(m.size).toBeGreaterThan(30);
    expect(m.search("browser screenshot", 3).map((r) => r.entry.name)).toContain("playwright");
    expect(m.get("github")?.env_var).toBe("GITHUB_PERSONAL_ACCESS_TOKEN");
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-manifest-"));
    expect(() => new Manifest(join(dir, "missing.json"))).toThrow(/file not found/);
  });
});
