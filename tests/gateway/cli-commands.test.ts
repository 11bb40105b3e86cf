import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectHttp, startHttp } from "../helpers/mcpkit.ts";
import { mcpkit, mcpkitAsync } from "./cli-helpers.ts";
import { call, FAULTY, gateway, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;
const ENV_SECRET = "s3cr3t-EnvValue-Qx81";
const HDR_SECRET = "s3cr3t-Header-Zp42";

describe("mcpkit gateway logs", () => {
  it(
    "--tail shows the gateway's lines with downstream secrets redacted; --level filters; no file is exit 1 naming the path",
    async () => {
      const s = scratch();
      const dir = join(s.dir, "state");
      const env = s.env({ PMCP_LOCK_DIR: dir });
      const missing = mcpkit(["gateway", "logs"], env, s.dir);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(join(dir, "logs", "gateway.log"));

      const cfg = writeJson(join(s.dir, "c.mcp.json"), {
        mcpServers: {
          faulty: { command: "node", args: [FAULTY], env: { API_TOKEN: ENV_SECRET } },
          remote: {
            type: "http",
            url: "http://127.0.0.1:9/mcp",
            headers: { Authorization: `Bearer ${HDR_SECRET}` },
          },
        },
        autoStart: ["faulty", "remote"],
      });
      const gw = await gateway(["--config", cfg], env, s.dir);
      try {
        // A start makes the gateway register the downstream's secrets with the redactor.
        await call(gw.client, "invoke", { tool_id: "faulty::echo_text", arguments: { text: "hi" } });
        await call(gw.client, "describe", { tool_id: "remote::x" });
        const r = await call(gw.client, "refresh", { reason: `keys ${ENV_SECRET} and ${HDR_SECRET}` });
        expect(r.isError).toBe(false);
      } finally {
        await gw.close();
      }
      const file = readFileSync(join(dir, "logs", "gateway.log"), "utf8");
      expect(file).toContain("refresh requested");
      expect(file).toContain("[REDACTED]");
      expect(file).not.toContain(ENV_SECRET);
      expect(file).not.toContain(HDR_SECRET);

      const tail = mcpkit(["gateway", "logs", "--tail", "50"], env, s.dir);
      expect(tail.code).toBe(0);
      expect(tail.stdout).toContain("gateway ready");
      expect(tail.stdout).toMatch(/^\S+Z \d+ \[gateway\] info: refresh requested/m);
      expect(tail.stdout).not.toContain(ENV_SECRET);
      const one = mcpkit(["gateway", "logs", "--tail", "1", "--json"], env, s.dir);
      const lines = one.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ scope: expect.any(String), level: expect.any(String) });
      const warn = mcpkit(["gateway", "logs", "--level", "warn"], env, s.dir);
      expect(warn.code).toBe(0);
      expect(warn.stdout).not.toContain("gateway ready");
    },
    TIMEOUT,
  );
});

describe("mcpkit gateway refresh and update", () => {
  it(
    "refresh against a running HTTP gateway (found through the lock) returns its gateway_refresh result",
    async () => {
      const s = scratch();
      const cfg = writeJson(join(s.dir, "c.mcp.json"), {
        mcpServers: { faulty: { command: "node", args: [FAULTY] } },
      });
      const proc = await startHttp(["gateway", "--config", cfg, "--transport", "http", "--port", "0"], {
        env: s.env(),
        cwd: s.dir,
      });
      try {
        writeJson(cfg, {
          mcpServers: {
            faulty: { command: "node", args: [FAULTY] },
            second: { command: "node", args: [FAULTY] },
          },
        });
        const r = await mcpkitAsync(["gateway", "refresh", "--config", cfg, "--json"], s.env(), s.dir);
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out.gateway).toBe(proc.url);
        expect(out.mode).toBe("running");
        expect(out.ok).toBe(true);
        expect(out.added).toEqual(["second"]);
        const text = await mcpkitAsync(["gateway", "refresh", "--server", "second"], s.env(), s.dir);
        expect(text.code).toBe(0);
        expect(text.stdout).toContain(`gateway at ${proc.url}: refreshed`);
        // Just that server's state; background indexing may be starting it right now.
        expect(text.stdout).toMatch(/^second: (configured|starting|started)\b/m);
        expect(text.stdout).not.toMatch(/^faulty:/m);
      } finally {
        await proc.stop();
      }
    },
    TIMEOUT,
  );

  it(
    "offline refresh writes the description cache the gateway reads: a later gateway finds the tools without starting or indexing them",
    async () => {
      const s = scratch();
      const cfg = writeJson(join(s.dir, "c.mcp.json"), {
        mcpServers: {
          faulty: { command: "node", args: [FAULTY], env: { FAULTY_LOG: join(s.dir, "faulty.log") } },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a config placeholder, expanded by the gateway
          needy: { command: "node", args: [FAULTY], env: { K: "${NEEDY_API_KEY}" } },
          broken: { command: "node", args: ["-e", "process.exit(3)"] },
        },
      });
      const r = mcpkit(["gateway", "refresh", "--config", cfg, "--port", "9", "--json"], s.env(), s.dir);
      const out = JSON.parse(r.stdout);
      expect(out.mode).toBe("offline");
      const by = (n: string) => out.results.find((x: { server: string }) => x.server === n);
      expect(by("faulty")).toMatchObject({ ok: true, tools: 8 });
      expect(by("needy").skipped).toContain("NEEDY_API_KEY");
      expect(by("broken").ok).toBe(false);
      expect(r.code).toBe(1); // one server failed
      expect(out.cache).toBe(join(s.cache, "gateway", "descriptions.json"));
      expect(Object.keys(JSON.parse(readFileSync(out.cache, "utf8")).servers)).toEqual(["faulty"]);

      const starts = () => readFileSync(join(s.dir, "faulty.log"), "utf8").match(/^start /gm)?.length ?? 0;
      const before = starts();
      const gw = await gateway(["--config", cfg], s.env(), s.dir);
      try {
        const found = await call(gw.client, "catalog_search", { query: "echo text" });
        const card = found.data.results.find((c: { tool_id: string }) => c.tool_id === "faulty::echo_text");
        expect(card?.availability).toBe("offline");
        expect(starts()).toBe(before); // found without starting it
        const h = await call(gw.client, "health");
        const row = h.data.servers.find((x: { name: string }) => x.name === "faulty");
        expect(row.index.state).toBe("cached");
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "update restarts an npx server in the running HTTP gateway; --all skips what npx/uvx/docker did not launch; none running is exit 1",
    async () => {
      const s = scratch();
      const bin = join(s.dir, "bin");
      mkdirSync(bin);
      const launches = join(s.dir, "launches.log");
      const npx = join(bin, "npx");
      writeFileSync(npx, `#!/bin/sh\necho "npx $*" >> "${launches}"\nexec node "${FAULTY}"\n`);
      chmodSync(npx, 0o755);
      const cfg = writeJson(join(s.dir, "c.mcp.json"), {
        mcpServers: {
          npmsrv: { command: npx, args: ["-y", "@test/fake-server"] },
          plain: { command: "node", args: [FAULTY] },
        },
      });
      const env = s.env({ npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0" });
      const none = mcpkit(["gateway", "update", "npmsrv", "--port", "9"], env, s.dir);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("no running HTTP gateway");

      const proc = await startHttp(["gateway", "--config", cfg, "--transport", "http", "--port", "0"], {
        env,
        cwd: s.dir,
      });
      try {
        const one = await mcpkitAsync(["gateway", "update", "npmsrv", "--json"], env, s.dir);
        expect(one.code).toBe(0);
        const out = JSON.parse(one.stdout);
        expect(out.results[0]).toMatchObject({ server: "npmsrv", ok: true, restarted: true });
        expect(readFileSync(launches, "utf8")).toContain("@test/fake-server@latest");
        const all = await mcpkitAsync(["gateway", "update", "--all"], env, s.dir);
        expect(all.code).toBe(0);
        expect(all.stdout).toContain("plain: skipped");
        expect(all.stdout).toMatch(/npmsrv: npmsrv restarted/);
        const bad = await mcpkitAsync(["gateway", "update", "plain"], env, s.dir);
        expect(bad.code).toBe(1);
        // The gateway still serves.
        const client = await connectHttp(proc.url);
        expect((await client.listTools()).tools.length).toBe(16);
        await client.close();
      } finally {
        await proc.stop();
      }
    },
    TIMEOUT,
  );
});

describe("mcpkit gateway setup", () => {
  it(
    "prints each client's entry for the gateway (stdio and http) and --write merges with a backup",
    () => {
      const s = scratch();
      const env = s.env();
      const claude = mcpkit(["gateway", "setup"], env, s.dir);
      expect(claude.code).toBe(0);
      expect(claude.stdout).toMatch(/^claude mcp add --scope user mcpkit-gateway -- .* gateway\n$/);
      const oc = mcpkit(["gateway", "setup", "--client", "opencode", "--mode", "http"], env, s.dir);
      expect(JSON.parse(oc.stdout)).toEqual({
        mcp: { "mcpkit-gateway": { type: "remote", url: "http://127.0.0.1:3344/mcp", enabled: true } },
      });
      const cur = mcpkit(
        ["gateway", "setup", "--client", "cursor", "--mode", "http", "--port", "4400"],
        env,
        s.dir,
      );
      expect(JSON.parse(cur.stdout).mcpServers["mcpkit-gateway"].url).toBe("http://127.0.0.1:4400/mcp");
      const codex = mcpkit(["gateway", "setup", "--client", "codex"], env, s.dir);
      expect(codex.stdout).toContain("[mcp_servers.mcpkit-gateway]");
      for (const client of ["vscode", "gemini"]) {
        const r = mcpkit(["gateway", "setup", "--client", client, "--mode", "stdio"], env, s.dir);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('"gateway"');
      }

      const path = join(s.home, ".config", "opencode", "opencode.json");
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, JSON.stringify({ mcp: { other: { type: "local", command: ["x"] } } }));
      const w = mcpkit(["gateway", "setup", "--client", "opencode", "--mode", "http", "--write"], env, s.dir);
      expect(w.code).toBe(0);
      expect(w.stdout).toContain("backup:");
      const merged = JSON.parse(readFileSync(path, "utf8"));
      expect(Object.keys(merged.mcp).sort()).toEqual(["mcpkit-gateway", "other"]);
      const backups = readdirSync(join(path, "..")).filter((f) => f !== "opencode.json");
      expect(backups.length).toBe(1);
      expect(JSON.parse(readFileSync(join(path, "..", backups[0]!), "utf8")).mcp["mcpkit-gateway"]).toBe(
        undefined,
      );
      expect(existsSync(path)).toBe(true);
    },
    TIMEOUT,
  );
});
