import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { connectStdio } from "../helpers/mcpkit.ts";
import { cleanupSeedTemps, connectOriginal, original, runToEnd, tempDir } from "../seeds/helpers.ts";
import { runProgram } from "./helpers.ts";

// execute_program's language when a call names none: Python when started as ptc-mcp (PTC-MCP runs only
// Python), JavaScript as `mcpkit ptc`; --default-language / PTC_MCP_DEFAULT_LANGUAGE and config.yaml's
// execution.default_language override the name.

const T = 60_000;
afterAll(cleanupSeedTemps);

const PYTHON = 'items = [1, 2, 3]\nfor i in items:\n    print(f"item {i}")\n';
const JAVASCRIPT = "for (const i of [1, 2, 3]) console.log('item ' + i);";
const EXPECTED = "item 1\nitem 2\nitem 3";

function configWith(yaml: string): string {
  const path = join(tempDir("ptc-lang"), "config.yaml");
  writeFileSync(path, yaml);
  return path;
}

async function descriptionOf(client: Client): Promise<string> {
  const { tools } = await client.listTools();
  return tools.find((t) => t.name === "execute_program")?.description ?? "";
}

describe("ptc default language", () => {
  it(
    "started as ptc-mcp, a program without language runs as Python; JavaScript needs language",
    async () => {
      const s = await connectOriginal("ptc-mcp", ["--config", configWith("")]);
      try {
        const py = await runProgram(s.client, PYTHON);
        expect(py.isError, py.text).toBe(false);
        expect(py.text).toContain(`[Script executed successfully]\n${EXPECTED}`);
        const js = await runProgram(s.client, JAVASCRIPT, { language: "javascript" });
        expect(js.isError, js.text).toBe(false);
        expect(js.structured.output.trim()).toBe(EXPECTED);
        expect(await descriptionOf(s.client)).toMatch(/^Runs a program[\s\S]*\n\nPython \(default\)/);
      } finally {
        await s.close();
      }
    },
    T,
  );

  it(
    "mcpkit ptc-mcp (the alias typed as a subcommand) also defaults to Python",
    async () => {
      const s = await connectStdio(["ptc-mcp", "--config", configWith("")]);
      try {
        const py = await runProgram(s.client, PYTHON);
        expect(py.isError, py.text).toBe(false);
        expect(py.structured.output.trim()).toBe(EXPECTED);
      } finally {
        await s.close();
      }
    },
    T,
  );

  it(
    'mcpkit ptc keeps JavaScript; Python sent to it fails with a hint naming language: "python"',
    async () => {
      const s = await connectStdio(["ptc", "--config", configWith("")]);
      try {
        const js = await runProgram(s.client, JAVASCRIPT);
        expect(js.isError, js.text).toBe(false);
        expect(js.structured.output.trim()).toBe(EXPECTED);
        const py = await runProgram(s.client, PYTHON);
        expect(py.isError).toBe(true);
        expect(py.structured.error_kind).toBe("syntax");
        expect(py.text).toContain("SyntaxError");
        expect(py.text).toContain('language: "python"');
        expect(py.text).toContain("--default-language python");
        expect(await descriptionOf(s.client)).toContain("JavaScript (default)");
      } finally {
        await s.close();
      }
    },
    T,
  );

  it(
    "a JavaScript syntax error that does not look like Python gets no Python hint",
    async () => {
      const s = await connectStdio(["ptc", "--config", configWith("")]);
      try {
        const bad = await runProgram(s.client, "const x = ;\nconsole.log(x)");
        expect(bad.isError).toBe(true);
        expect(bad.structured.error_kind).toBe("syntax");
        expect(bad.text).not.toContain("Python");
      } finally {
        await s.close();
      }
    },
    T,
  );

  it(
    "under ptc-mcp, Python sent with language: javascript gets the hint to leave language out",
    async () => {
      const s = await connectOriginal("ptc-mcp", ["--config", configWith("")]);
      try {
        const r = await runProgram(s.client, PYTHON, { language: "javascript" });
        expect(r.isError).toBe(true);
        expect(r.text).toContain('leave out "language" or pass language: "python"');
      } finally {
        await s.close();
      }
    },
    T,
  );

  it(
    "execution.default_language in config.yaml wins over the invoked name",
    async () => {
      const cfg = configWith("execution:\n  default_language: python\n");
      const s = await connectStdio(["ptc", "--config", cfg]);
      try {
        const py = await runProgram(s.client, PYTHON);
        expect(py.isError, py.text).toBe(false);
        expect(py.structured.output.trim()).toBe(EXPECTED);
      } finally {
        await s.close();
      }
      const js = await connectOriginal("ptc-mcp", [
        "--config",
        configWith("execution:\n  default_language: javascript\n"),
      ]);
      try {
        const r = await runProgram(js.client, JAVASCRIPT);
        expect(r.isError, r.text).toBe(false);
        expect(r.structured.output.trim()).toBe(EXPECTED);
      } finally {
        await js.close();
      }
    },
    T,
  );

  it(
    "--default-language and PTC_MCP_DEFAULT_LANGUAGE win over config.yaml",
    async () => {
      const cfg = configWith("execution:\n  default_language: python\n");
      const flag = await connectOriginal("ptc-mcp", ["--config", cfg, "--default-language", "javascript"]);
      try {
        const r = await runProgram(flag.client, JAVASCRIPT);
        expect(r.isError, r.text).toBe(false);
      } finally {
        await flag.close();
      }
      const env = await connectOriginal("ptc-mcp", ["--config", cfg], {
        env: { PTC_MCP_DEFAULT_LANGUAGE: "typescript" },
      });
      try {
        const r = await runProgram(env.client, "const n: number = 2; console.log(n * 21);");
        expect(r.isError, r.text).toBe(false);
        expect(r.structured.output.trim()).toBe("42");
      } finally {
        await env.close();
      }
    },
    T,
  );

  it(
    "a bad execution.default_language stops start-up with one line naming the key",
    async () => {
      const cfg = configWith("execution:\n  default_language: ruby\n");
      const r = await runToEnd(original("ptc-mcp"), ["--config", cfg]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("execution.default_language must be one of javascript, typescript, python");
      const flag = await runToEnd(original("ptc-mcp"), ["--default-language", "ruby"]);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain("--default-language");
    },
    T,
  );
});
