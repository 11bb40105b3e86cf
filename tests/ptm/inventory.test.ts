import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, Server } from "@modelcontextprotocol/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createLogger } from "../../lib/core/log.ts";
import { resolveHints } from "../../lib/core/tools/annotations.ts";
import { detectChallenge } from "../../lib/servers/ptm/cloudflare.ts";
import { loadConfig } from "../../lib/servers/ptm/config.ts";
import { childEnvironment, scrubEnvironment } from "../../lib/servers/ptm/env-scrub.ts";
import { cleanDetail, httpErrorMessage, STATUS_HINTS } from "../../lib/servers/ptm/errors.ts";
import type { PtmHttpClient } from "../../lib/servers/ptm/http-client.ts";
import { versionAtLeast } from "../../lib/servers/ptm/preflight.ts";
import { RESOURCES } from "../../lib/servers/ptm/resources.ts";
import { isSafeSegment } from "../../lib/servers/ptm/segments.ts";
import { selectTools } from "../../lib/servers/ptm/tool-filter.ts";
import { TOOLS, type ToolSpec } from "../../lib/servers/ptm/tool-inventory.ts";
import { isWriteTool, ptmRegistry, ptmSelection, ptmTools } from "../../lib/servers/ptm/tools.ts";

const silent = createLogger({ level: "silent" });

describe("ptm tool inventory (data)", () => {
  it("has the contract's 24 tools: 13 read, 11 write", () => {
    expect(TOOLS).toHaveLength(24);
    expect(new Set(TOOLS.map((t) => t.name)).size).toBe(24);
    expect(TOOLS.filter((t) => t.kind === "read")).toHaveLength(13);
    expect(TOOLS.filter((t) => t.kind === "write")).toHaveLength(11);
  });

  it("every tool has a title, a description, every annotation explicit, and schemas", () => {
    for (const [row, tool] of TOOLS.map((r, i) => [r, ptmTools(TOOLS, false)[i]!] as const)) {
      expect(tool.name).toBe(row.name);
      expect(tool.title.trim(), row.name).not.toBe("");
      expect(tool.description.length, row.name).toBeGreaterThan(20);
      const hints = resolveHints(tool.hints);
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const)
        expect(typeof hints[hint], `${row.name}.${hint}`).toBe("boolean");
      expect(tool.input, row.name).toBeInstanceOf(z.ZodObject);
      expect(tool.output, row.name).toBeInstanceOf(z.ZodObject);
      // Unknown arguments are rejected.
      expect(tool.input.safeParse({ __unknown__: 1 }).success, row.name).toBe(false);
      for (const placeholder of row.path.matchAll(/\{(\w+)\}/g))
        expect(Object.keys(row.input.shape), row.name).toContain(placeholder[1]);
    }
  });

  it("read-only classification comes from the inventory row, and the gate follows it", async () => {
    const tools = ptmTools(TOOLS, false);
    for (const [i, t] of tools.entries()) {
      expect(resolveHints(t.hints).readOnlyHint).toBe(TOOLS[i]!.kind === "read");
      expect(isWriteTool(t)).toBe(TOOLS[i]!.kind === "write");
      if (TOOLS[i]!.kind === "read") expect(resolveHints(t.hints).destructiveHint).toBe(false);
    }
    expect(
      tools
        .filter((t) => resolveHints(t.hints).destructiveHint)
        .map((t) => t.name)
        .sort(),
    ).toEqual(
      [
        "cancel_optimization",
        "remove_prompt_from_group",
        "transfer_prompt_ownership",
        "unshare_prompt",
      ].sort(),
    );
    // Rows invented here, served by ptm's registry in read-only mode: only `kind` decides whether the
    // gate lets a call through to the backend.
    const request = vi.fn(async () => ({ status: 200, headers: new Headers(), json: { ok: 1 }, text: "" }));
    const client = { request } as unknown as PtmHttpClient;
    const row: ToolSpec = {
      name: "made_up",
      title: "Made up",
      description: "A row that is not in the contract.",
      kind: "write",
      method: "POST",
      path: "/made-up",
      input: z.object({}).strict(),
      output: z.looseObject({}),
    };
    const rows = [row, { ...row, name: "made_up_read", kind: "read" as const, method: "GET" as const }];
    const registry = ptmRegistry(ptmTools(rows, true), { client, maxRows: 500, log: silent });
    const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
    registry.install(server, ptmSelection(new Set(["made_up", "made_up_read"]), true));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const mcp = new Client({ name: "c", version: "1" });
    await mcp.connect(b);
    const { tools: listed } = await mcp.listTools();
    expect(listed.map((t) => t.name)).toEqual(["made_up", "made_up_read"]);
    expect(listed[0]!.description).toContain("(Refused while PTM_MCP_READ_ONLY is true.)");
    const refused = await mcp.callTool({ name: "made_up", arguments: {} });
    expect(refused.isError).toBe(true);
    expect(refused.content).toEqual([
      {
        type: "text",
        text: "made_up: made_up is a write tool and mcpkit ptm is in read-only mode (PTM_MCP_READ_ONLY is true), so nothing was sent to PTM. To allow writes, set PTM_MCP_READ_ONLY=false in this server's environment and restart it.",
      },
    ]);
    expect(request).not.toHaveBeenCalled();
    const allowed = await mcp.callTool({ name: "made_up_read", arguments: {} });
    expect(allowed.isError).toBeFalsy();
    expect(allowed.structuredContent).toEqual({ ok: 1 });
    expect(request).toHaveBeenCalledTimes(1);
    await mcp.close();
  });

  it("update_prompt: null and omitted stay off the wire, [] is sent", async () => {
    const request = vi.fn(async (_req: unknown) => ({
      status: 200,
      headers: new Headers(),
      json: {},
      text: "{}",
    }));
    const tool = ptmTools(TOOLS, false).find((t) => t.name === "update_prompt")!;
    const args = tool.input.parse({ prompt_id: "a.b", change_summary: "c", tags: [], kpis: null });
    const call = { signal: new AbortController().signal, progress: () => {} };
    await tool.handler(args, {
      client: { request } as unknown as PtmHttpClient,
      maxRows: 500,
      call: call as never,
    });
    expect(request.mock.calls[0]![0]).toMatchObject({
      method: "PATCH",
      path: "/prompts/a.b",
      body: { change_summary: "c", tags: [] },
      write: true,
    });
  });

  it("has the five resource URI templates", () => {
    expect(RESOURCES.map((r) => r.uriTemplate)).toEqual([
      "ptm://prompts/{prompt_id}",
      "ptm://prompts/{prompt_id}/v{N}",
      "ptm://runs/{run_key}/report.md",
      "ptm://runs/{run_key}/report.html",
      "ptm://optimizations/{optimization_id}/report.md",
    ]);
  });

  it("--tools / --exclude-tools select a subset and reject unknown names with exit 2", () => {
    expect(selectTools(TOOLS, "get_prompt, list_runs", undefined).map((t) => t.name)).toEqual([
      "get_prompt",
      "list_runs",
    ]);
    expect(selectTools(TOOLS, undefined, "update_prompt")).toHaveLength(23);
    expect(() => selectTools(TOOLS, "get_prompts", undefined)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining("'get_prompts'") }),
    );
  });
});

describe("ptm helpers", () => {
  it("segments: allow-list, no . or ..", () => {
    for (const ok of ["team.summarizer", "run_8f2c-1", "a", "1.2.3"])
      expect(isSafeSegment(ok), ok).toBe(true);
    for (const bad of [".", "..", "", "a/b", "a b", "a%2Fb", "é", "a\nb"])
      expect(isSafeSegment(bad), bad).toBe(false);
  });

  it("error messages: seed wording, clipped detail, no control characters, no HTML", () => {
    expect(httpErrorMessage(403, { detail: "x" }, null)).toContain(STATUS_HINTS[403]);
    expect(httpErrorMessage(429, {}, "5")).toContain("retry after 5 seconds");
    expect(httpErrorMessage(500, undefined, null)).toBe(
      "The PTM backend failed: try again later. (HTTP 500)",
    );
    const clean = cleanDetail(`a\u0000b\u001b[0m\u007f${"z".repeat(400)}`);
    expect(clean.length).toBe(300);
    expect(clean.startsWith("a b [0m ")).toBe(true);
  });

  it("version gate: 1.9.0 and newer pass", () => {
    expect(versionAtLeast("1.9.0", "1.9.0")).toBe(true);
    expect(versionAtLeast("1.10.2", "1.9.0")).toBe(true);
    expect(versionAtLeast("2.0.0", "1.9.0")).toBe(true);
    expect(versionAtLeast("1.8.99", "1.9.0")).toBe(false);
    expect(versionAtLeast("1.9.0-rc.1", "1.9.0")).toBe(false);
    expect(versionAtLeast("1.9", "1.9.0")).toBe(false);
  });

  it("scrubs an environment object to the allow-list; children get no secrets", () => {
    const env: Record<string, string | undefined> = {
      PATH: "/bin",
      HOME: "/h",
      LC_ALL: "C",
      XDG_CONFIG_HOME: "/x",
      PTM_API_TOKEN: "ptm_u_abc",
      AWS_SECRET_ACCESS_KEY: "s",
      GITHUB_TOKEN: "g",
      OPENAI_API_KEY: "o",
      https_proxy: "http://proxy",
    };
    expect(scrubEnvironment(env)).toEqual(["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "OPENAI_API_KEY"]);
    expect(Object.keys(env).sort()).toEqual(
      ["HOME", "LC_ALL", "PATH", "PTM_API_TOKEN", "XDG_CONFIG_HOME", "https_proxy"].sort(),
    );
    expect(childEnvironment(env).PTM_API_TOKEN).toBeUndefined();
    expect(childEnvironment(env).PATH).toBe("/bin");
    // No second filtering for children, so the cloudflared env dump in cloudflare.test.ts proves that
    // process.env itself was scrubbed.
    expect(childEnvironment({ SOMETHING_ELSE: "x" }).SOMETHING_ELSE).toBe("x");
  });

  it("config: defaults, and exit 1 naming the variable", () => {
    const c = loadConfig({ PTM_API_BASE_URL: "https://ptm.example.com//", PTM_API_TOKEN: "ptm_u_x" });
    expect(c).toMatchObject({
      baseUrl: "https://ptm.example.com",
      readOnly: true,
      timeoutMs: 30_000,
      preflightBackoffMs: [1000, 2000, 4000, 8000, 16000],
      cloudflare: { autoDiscover: true },
    });
    const base = { PTM_API_BASE_URL: "https://ptm.example.com", PTM_API_TOKEN: "ptm_u_x" };
    for (const [extra, name] of [
      [{ PTM_MCP_TIMEOUT_SECONDS: "601" }, "PTM_MCP_TIMEOUT_SECONDS"],
      [{ PTM_MCP_LOG_LEVEL: "LOUD" }, "PTM_MCP_LOG_LEVEL"],
      [{ PTM_API_BASE_URL: "ftp://ptm.example.com" }, "PTM_API_BASE_URL"],
      [{ CF_ACCESS_CLIENT_SECRET: "s3cret-value" }, "CF_ACCESS_CLIENT_ID"],
      [{ PTM_MCP_PREFLIGHT_BACKOFF_MS: "1,x" }, "PTM_MCP_PREFLIGHT_BACKOFF_MS"],
    ] as const) {
      expect(() => loadConfig({ ...base, ...extra }), name).toThrow(
        expect.objectContaining({ exitCode: 1, message: expect.stringContaining(name) }),
      );
    }
    expect(loadConfig({ ...base, PTM_MCP_LOG_LEVEL: "warning", PTM_MCP_READ_ONLY: "false" })).toMatchObject({
      logLevel: "warn",
      readOnly: false,
    });
    expect(() => loadConfig({ PTM_API_TOKEN: "x" })).toThrow(
      expect.objectContaining({ exitCode: 1, message: expect.stringContaining("PTM_API_BASE_URL") }),
    );
  });

  it("recognises each kind of Cloudflare Access challenge", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(
      detectChallenge(
        302,
        h({ location: "https://t.cloudflareaccess.com/cdn-cgi/access/login/x" }),
        "",
        true,
      ),
    ).toBe("redirect");
    expect(
      detectChallenge(302, h({ location: "https://ptm.example.com/cdn-cgi/access/login" }), "", true),
    ).toBe("redirect");
    expect(
      detectChallenge(401, h({ "www-authenticate": 'Bearer realm="cloudflare-access"' }), "", true),
    ).toBe("www-authenticate");
    expect(detectChallenge(200, h({ "cf-ray": "1", "content-type": "text/html" }), "<html>", true)).toBe(
      "html",
    );
    expect(
      detectChallenge(200, h({ "cf-ray": "1", "content-type": "text/html" }), "<html>", false),
    ).toBeUndefined();
    expect(detectChallenge(302, h({ location: "https://ptm.example.com/login" }), "", true)).toBeUndefined();
    expect(detectChallenge(401, h({}), "{}", true)).toBeUndefined();
  });
});

describe("ptm README", () => {
  it("documents every tool, resource and environment variable the code knows", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../../lib/servers/ptm/README.md", import.meta.url), "utf8");
    for (const t of TOOLS) expect(readme, t.name).toContain(`\`${t.name}\``);
    for (const r of RESOURCES) expect(readme, r.uriTemplate).toContain(r.uriTemplate);
    const config = readFileSync(new URL("../../lib/servers/ptm/config.ts", import.meta.url), "utf8");
    for (const [, name] of config.matchAll(/"((?:PTM|CF)_[A-Z_]+)"/g)) expect(readme, name).toContain(name!);
  });
});
