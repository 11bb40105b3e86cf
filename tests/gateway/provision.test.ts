import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StdioSession, waitFor } from "../helpers/mcpkit.ts";
import { call, FAULTY, gateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 60_000;

const s = scratch();
const provLog = join(s.dir, "prov.log");
let registry: Server;
let registryUrl = "";
let registryHits = 0;
let gw: StdioSession;

const PAGES: Record<string, unknown> = {
  "": {
    servers: [
      {
        server: {
          name: "io.github.test/weather",
          description: "Weather forecasts and alerts",
          version: "1.0.0",
          packages: [
            {
              registryType: "npm",
              identifier: "@test/weather-mcp",
              version: "1.0.0",
              transport: { type: "stdio" },
              environmentVariables: [{ name: "WEATHER_API_KEY", isSecret: true }],
            },
          ],
        },
        _meta: { "io.modelcontextprotocol.registry/official": { status: "active", isLatest: true } },
      },
    ],
    metadata: { nextCursor: "p2", count: 1 },
  },
  p2: {
    servers: [
      { server: { name: "io.github.test/calendar", description: "Calendar events", version: "2.0.0" } },
      {
        server: { name: "io.github.test/old-weather", description: "Old weather", version: "0.1.0" },
        _meta: { "io.modelcontextprotocol.registry/official": { status: "deprecated" } },
      },
    ],
    metadata: {},
  },
};

beforeAll(async () => {
  registry = createServer((req, res) => {
    registryHits++;
    const url = new URL(req.url ?? "/", "http://x");
    const page = PAGES[url.searchParams.get("cursor") ?? ""];
    if (url.pathname !== "/v0/servers" || !page) {
      res.writeHead(404).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(page));
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  const overlay = writeJson(join(s.dir, "manifest.json"), {
    servers: [
      {
        name: "fakeprov",
        description: "Fake weather forecasts for tests",
        keywords: ["weather", "forecast"],
        command: "node",
        args: [FAULTY],
        env: { FAULTY_LOG: provLog },
      },
      {
        name: "fakekeyed",
        description: "Fake keyed service",
        command: "node",
        args: [FAULTY],
        env_var: "FAKEKEYED_TOKEN",
      },
    ],
  });
  gw = await gateway(["--manifest", overlay, "--registry-url", registryUrl], s.env(), s.dir);
}, TIMEOUT);

afterAll(async () => {
  await gw?.close();
  await new Promise((r) => registry.close(r));
}, TIMEOUT);

describe("capability routing and provisioning", () => {
  it(
    "request_capability routes by name, CLI, category and relevance",
    async () => {
      const named = await call(gw.client, "request_capability", {
        query: "use playwright for browser automation",
      });
      expect(named.data.status).toBe("candidates");
      expect(named.data.candidates.map((c: any) => c.name)).toEqual(["playwright"]);
      const cli = await call(gw.client, "request_capability", {
        query: "show git commits",
        available_clis: ["git"],
      });
      expect(cli.data.status).toBe("use_cli");
      expect(cli.data.cli.name).toBe("git");
      const gh = await call(gw.client, "request_capability", {
        query: "github issues",
        available_clis: ["git"],
      });
      expect(gh.data.candidates[0].name).toBe("github");
      expect(gh.data.candidates[0].env_var).toBe("GITHUB_PERSONAL_ACCESS_TOKEN");
      const cat = await call(gw.client, "request_capability", {
        query: "browser automation",
        available_clis: [],
      });
      expect(cat.data.status).toBe("pick_from_category");
      expect(cat.data.category_name).toBe("browser automation");
      const fuzzy = await call(gw.client, "request_capability", {
        query: "weather forecast",
        available_clis: [],
      });
      expect(fuzzy.data.candidates[0].name).toBe("fakeprov");
      const none = await call(gw.client, "request_capability", {
        query: "xyzzy frobnicate",
        available_clis: [],
      });
      expect(none.data.status).toBe("not_available");
      expect(none.data.search_guidance).toContain("search_registry");
    },
    TIMEOUT,
  );

  it(
    "provisions a manifest server; readiness is a successful initialize",
    async () => {
      const r = await call(gw.client, "provision", { server_name: "fakeprov" });
      expect(r.isError).toBe(false);
      if (r.data.status !== "complete") {
        await waitFor(
          async () =>
            (await call(gw.client, "provision_status", { job_id: r.data.job_id })).data.status === "complete",
          20_000,
        );
      }
      const status = await call(gw.client, "provision_status", { job_id: r.data.job_id });
      expect(status.data.status).toBe("complete");
      expect(status.data.new_tools).toContain("fakeprov::echo_text");
      const used = await call(gw.client, "invoke", {
        tool_id: "fakeprov::echo_text",
        arguments: { text: "provisioned" },
      });
      expect(used.text).toBe("echo: provisioned");
      expect((await call(gw.client, "provision", { server_name: "fakeprov" })).data.status).toBe(
        "already_running",
      );
      expect((await call(gw.client, "provision_status", { job_id: "nope" })).data.status).toBe("not_found");
      expect(readFileSync(provLog, "utf8")).toContain("start");
    },
    TIMEOUT,
  );

  it(
    "auth_connect refuses loader variables and newlines, stores 0600, then provision works",
    async () => {
      const needs = await call(gw.client, "provision", { server_name: "fakekeyed" });
      expect(needs.isError).toBe(true);
      expect(needs.data).toMatchObject({
        needs_api_key: true,
        env_var: "FAKEKEYED_TOKEN",
        auth_state: "missing_auth",
      });
      for (const env_var of ["LD_PRELOAD", "PATH", "NODE_OPTIONS", "BAD-NAME"]) {
        const r = await call(gw.client, "auth_connect", {
          server_name: "fakekeyed",
          env_var,
          credential: "x1234",
        });
        expect(r.isError).toBe(true);
      }
      const nl = await call(gw.client, "auth_connect", {
        server_name: "fakekeyed",
        credential: "first\nINJECTED=second",
      });
      expect(nl.isError).toBe(true);
      const envFile = join(s.home, ".config", "pmcp", "pmcp.env");
      expect(existsSync(envFile)).toBe(false);
      const ok = await call(gw.client, "auth_connect", {
        server_name: "fakekeyed",
        credential: "s3cr3t-Value#1",
      });
      expect(ok.isError).toBe(false);
      expect(ok.data.env_path).toBe(envFile);
      expect(ok.text).not.toContain("s3cr3t-Value#1");
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(envFile, "utf8")).toContain('FAKEKEYED_TOKEN="s3cr3t-Value#1"');
      const r = await call(gw.client, "provision", { server_name: "fakekeyed" });
      expect(r.isError).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "search_registry queries the registry API, caches it, and registered servers become provisionable",
    async () => {
      const r = await call(gw.client, "search_registry", { query: "weather" });
      expect(r.isError).toBe(false);
      const names = r.data.results.map((x: any) => x.name);
      expect(names[0]).toBe("io.github.test/weather");
      expect(names).not.toContain("io.github.test/old-weather");
      expect(r.data.results[0]).toMatchObject({
        package: "@test/weather-mcp",
        env_vars: ["WEATHER_API_KEY"],
      });
      const hits = registryHits;
      const again = await call(gw.client, "search_registry", { query: "calendar" });
      expect(again.data.results[0].name).toBe("io.github.test/calendar");
      expect(registryHits).toBe(hits);
      const reg = await call(gw.client, "register_discovered_server", {
        package: "@test/weather-mcp",
        server_name: "weather",
        env_vars: ["WEATHER_API_KEY"],
      });
      expect(reg.data).toMatchObject({ ok: true, install_command: ["npx", "-y", "@test/weather-mcp"] });
      expect(reg.data.next_step).toContain("gateway_provision");
      const prov = await call(gw.client, "provision", { server_name: "weather" });
      expect(prov.data).toMatchObject({ needs_api_key: true, env_var: "WEATHER_API_KEY" });
      const bad = await call(gw.client, "register_discovered_server", { package: "-rf /", server_name: "x" });
      expect(bad.isError).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "an unreachable registry gives a clear offline error",
    async () => {
      const s2 = scratch();
      const g2 = await gateway(["--registry-url", "http://127.0.0.1:9"], s2.env(), s2.dir);
      try {
        const r = await call(g2.client, "search_registry", { query: "weather" });
        expect(r.isError).toBe(true);
        expect(r.text).toContain("MCP Registry at http://127.0.0.1:9 is unreachable");
      } finally {
        await g2.close();
      }
    },
    TIMEOUT,
  );

  it(
    "sync_environment and submit_feedback answer without side effects",
    async () => {
      const env = await call(gw.client, "sync_environment", { detected_clis: ["git"] });
      expect(env.data.detected_clis).toEqual(["git"]);
      const fb = await call(gw.client, "submit_feedback", {
        title: "Search misses a tool",
        description: "token ghp_abcdefghijklmnopqrstuvwxyz012345 leaked",
      });
      expect(fb.data.submitted).toBe(false);
      expect(fb.data.issue_body).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz012345");
    },
    TIMEOUT,
  );
});
