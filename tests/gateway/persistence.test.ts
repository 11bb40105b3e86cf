import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/mcpkit.ts";
import { call, FAULTY, gateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 90_000;

const s = scratch();
const project = join(s.dir, "project");
let overlay = "";

beforeAll(() => {
  mkdirSync(project, { recursive: true });
  // A package.json makes this directory the project root the gateway writes registrations into.
  writeFileSync(join(project, "package.json"), "{}");
  overlay = writeJson(join(s.dir, "manifest.json"), {
    servers: [
      {
        name: "fakeprov",
        description: "Fake weather forecasts for tests",
        keywords: ["weather"],
        command: "node",
        args: [FAULTY],
      },
    ],
  });
});

const start = () => gateway(["--manifest", overlay], s.env(), project);

describe("provisioned and registered servers survive a restart", () => {
  it(
    "a provisioned manifest server comes back lazy; a registration stays provisionable",
    async () => {
      const first = await start();
      try {
        const r = await call(first.client, "provision", { server_name: "fakeprov" });
        expect(r.isError).toBe(false);
        if (r.data.status !== "complete") {
          await waitFor(
            async () =>
              (await call(first.client, "provision_status", { job_id: r.data.job_id })).data.status ===
              "complete",
            30_000,
          );
        }
        const reg = await call(first.client, "register_discovered_server", {
          package: "@test/weather-mcp",
          server_name: "weather",
          env_vars: ["WEATHER_API_KEY"],
        });
        expect(reg.isError).toBe(false);
        expect(reg.data.persisted_to).toBe(join(project, ".mcp-gateway", "registered.json"));
      } finally {
        await first.close();
      }

      const provisioned = join(s.home, ".config", "pmcp", "provisioned.json");
      expect(existsSync(provisioned)).toBe(true);
      expect(statSync(provisioned).mode & 0o777).toBe(0o600);
      const rows = JSON.parse(readFileSync(provisioned, "utf8")).servers;
      expect(rows.map((x: { name: string }) => x.name)).toEqual(["fakeprov"]);

      const second = await start();
      try {
        const health = await call(second.client, "health");
        const row = health.data.servers.find((x: { name: string }) => x.name === "fakeprov");
        // Known again, not started until used.
        expect(row).toMatchObject({ origin: "manifest", state: "configured" });
        expect(health.data.registered).toEqual(["weather"]);
        // Searchable before it starts, from the description cache the first run wrote.
        const found = await call(second.client, "catalog_search", {
          query: "echo text",
          include_offline: true,
        });
        expect(found.data.results.map((c: { tool_id: string }) => c.tool_id)).toContain(
          "fakeprov::echo_text",
        );
        const used = await call(second.client, "invoke", {
          tool_id: "fakeprov::echo_text",
          arguments: { text: "after restart" },
        });
        expect(used.text).toBe("echo: after restart");
        // The registration is still there: provisioning asks for its key instead of "unknown".
        const prov = await call(second.client, "provision", { server_name: "weather" });
        expect(prov.data).toMatchObject({ needs_api_key: true, env_var: "WEATHER_API_KEY" });
      } finally {
        await second.close();
      }
    },
    TIMEOUT,
  );

  it(
    "a corrupt state file is reported with file and line, and the gateway still serves",
    async () => {
      const file = join(project, ".mcp-gateway", "registered.json");
      writeFileSync(file, '{\n  "version": 1,\n  "servers": [\n');
      const g = await start();
      try {
        const health = await call(g.client, "health");
        expect(health.isError).toBe(false);
        expect(health.data.state_file_problems[0]).toContain(`${file}:`);
        expect(health.data.registered).toBeUndefined();
        // The next registration rewrites the file cleanly.
        const reg = await call(g.client, "register_discovered_server", {
          package: "@test/other-mcp",
          server_name: "other",
        });
        expect(reg.data.persisted_to).toBe(file);
        expect(JSON.parse(readFileSync(file, "utf8")).servers.map((e: { name: string }) => e.name)).toEqual([
          "other",
        ]);
      } finally {
        await g.close();
      }
    },
    TIMEOUT,
  );
});
