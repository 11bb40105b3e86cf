import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/mcpkit.ts";
import { mcpkit } from "./cli-helpers.ts";
import { scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;
const SECRET = "sk-cli-test-Zq8v1Lm3Nx";

/** A scratch project with a .mcp.json naming one server that needs MY_SERVICE_API_KEY. */
function project() {
  const s = scratch();
  const proj = join(s.dir, "proj");
  mkdirSync(proj, { recursive: true });
  writeJson(join(proj, ".mcp.json"), {
    mcpServers: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a config placeholder, expanded by the gateway
      svc: { command: "node", args: ["svc.js"], env: { KEY: "${MY_SERVICE_API_KEY}" } },
      open: { type: "http", url: "http://127.0.0.1:9/mcp" },
    },
    autoStart: ["open"],
  });
  return { ...s, proj };
}

describe("mcpkit gateway subcommands", () => {
  it(
    "--help lists the subcommands next to the serving flags; an unknown subcommand is a one-line usage error",
    () => {
      const s = scratch();
      const help = mcpkit(["gateway", "--help"], s.env(), s.dir);
      expect(help.code).toBe(0);
      for (const sub of [
        "status",
        "doctor",
        "secrets",
        "guidance",
        "init",
        "logs",
        "refresh",
        "update",
        "setup",
      ])
        expect(help.stdout).toMatch(new RegExp(`\\n  ${sub}\\b`));
      expect(help.stdout).toContain("--tool-names");
      const bad = mcpkit(["gateway", "statsu"], s.env(), s.dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      expect(bad.stderr).toContain("unknown command 'statsu'");
      expect(bad.stderr).toContain("status");
    },
    TIMEOUT,
  );

  it(
    "status reports servers, sources and credential presence without values, before and after secrets set",
    () => {
      const p = project();
      const before = mcpkit(["gateway", "status", "--json"], p.env(), p.proj);
      expect(before.code).toBe(0);
      const r = JSON.parse(before.stdout);
      const svc = r.servers.find((x: { name: string }) => x.name === "svc");
      expect(svc.source).toBe(join(p.proj, ".mcp.json"));
      expect(svc.transport).toBe("stdio");
      expect(svc.target).toBe("node");
      expect(svc.credentials).toEqual([{ name: "MY_SERVICE_API_KEY", present: false }]);
      expect(r.servers.find((x: { name: string }) => x.name === "open").autoStart).toBe(true);
      expect(r.manifest.known).toBeGreaterThan(10);
      expect(r.live_state).toContain("gateway_health");

      const set = mcpkit(
        ["gateway", "secrets", "set", "MY_SERVICE_API_KEY", SECRET, "--scope", "project"],
        p.env(),
        p.proj,
      );
      expect(set.code).toBe(0);
      const after = mcpkit(["gateway", "status", "--json", "--server", "svc"], p.env(), p.proj);
      const a = JSON.parse(after.stdout);
      expect(a.servers).toHaveLength(1);
      expect(a.servers[0].credentials).toEqual([{ name: "MY_SERVICE_API_KEY", present: true }]);
      const text = mcpkit(["gateway", "status"], p.env(), p.proj);
      expect(text.stdout).toContain("svc: stdio node");
      expect(text.stdout).toContain("MY_SERVICE_API_KEY present");
      for (const out of [set, after, text]) expect(out.stdout + out.stderr).not.toContain(SECRET);

      const manifestOnly = JSON.parse(
        mcpkit(["gateway", "status", "--json", "--server", "github"], p.env(), p.proj).stdout,
      );
      expect(manifestOnly.manifest_server.state).toContain("manifest-known");
      expect(manifestOnly.manifest_server.credentials[0].present).toBe(false);
      const unknown = mcpkit(["gateway", "status", "--server", "nope"], p.env(), p.proj);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("unknown server 'nope'");
    },
    TIMEOUT,
  );

  it(
    "pmcp status works through the alias link",
    () => {
      const p = project();
      const link = join(p.dir, "pmcp");
      symlinkSync(join(ROOT, "dist/mcpkit.mjs"), link);
      const r = spawnSync(link, ["status", "--json"], {
        env: p.env(),
        cwd: p.proj,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).servers.map((s: { name: string }) => s.name)).toEqual(["svc", "open"]);
    },
    TIMEOUT,
  );

  it(
    "secrets set writes 0600 files per scope, reads stdin, never echoes the value, and refuses loader variables",
    () => {
      const p = project();
      const user = mcpkit(
        ["gateway", "secrets", "set", "API_TOKEN", SECRET, "--scope", "user"],
        p.env(),
        p.proj,
      );
      expect(user.code).toBe(0);
      const userFile = join(p.home, ".config", "pmcp", "pmcp.env");
      expect(JSON.parse(user.stdout)).toMatchObject({
        ok: true,
        scope: "user",
        key: "API_TOKEN",
        path: userFile,
        value: "********",
      });
      expect(readFileSync(userFile, "utf8")).toContain(`API_TOKEN=${SECRET}`);
      expect(statSync(userFile).mode & 0o777).toBe(0o600);

      const other = join(p.dir, "elsewhere");
      mkdirSync(other);
      const viaStdin = mcpkit(
        ["gateway", "secrets", "set", "OTHER_TOKEN", "--scope", "project", "--project", other],
        p.env(),
        p.proj,
        `${SECRET}-2\n`,
      );
      expect(viaStdin.code).toBe(0);
      expect(readFileSync(join(other, ".env.pmcp"), "utf8")).toBe(`OTHER_TOKEN=${SECRET}-2\n`);
      expect(statSync(join(other, ".env.pmcp")).mode & 0o777).toBe(0o600);

      const loader = mcpkit(
        ["gateway", "secrets", "set", "LD_PRELOAD", "/tmp/x.so", "--scope", "user"],
        p.env(),
        p.proj,
      );
      expect(loader.code).toBe(2);
      expect(loader.stderr).toContain("LD_PRELOAD");
      expect(readFileSync(userFile, "utf8")).not.toContain("LD_PRELOAD");
      const multi = mcpkit(
        ["gateway", "secrets", "set", "API_TOKEN", "a\nb", "--scope", "user"],
        p.env(),
        p.proj,
      );
      expect(multi.code).toBe(2);
      for (const out of [user, viaStdin, loader, multi])
        expect(out.stdout + out.stderr).not.toContain(SECRET);
    },
    TIMEOUT,
  );

  it(
    "secrets sync copies names between scopes, keeps existing ones unless --overwrite, and prints no values",
    () => {
      const p = project();
      mcpkit(["gateway", "secrets", "set", "API_TOKEN", SECRET, "--scope", "user"], p.env(), p.proj);
      mcpkit(
        ["gateway", "secrets", "set", "GITHUB_TOKEN", `${SECRET}-gh`, "--scope", "user"],
        p.env(),
        p.proj,
      );
      mcpkit(
        ["gateway", "secrets", "set", "API_TOKEN", "old-project-value", "--scope", "project"],
        p.env(),
        p.proj,
      );
      const first = mcpkit(
        ["gateway", "secrets", "sync", "--from-scope", "user", "--to-scope", "project"],
        p.env(),
        p.proj,
      );
      expect(first.code).toBe(0);
      const r = JSON.parse(first.stdout);
      expect(r.added).toEqual(["GITHUB_TOKEN"]);
      expect(r.skipped).toEqual(["API_TOKEN"]);
      expect(r.target_key_count).toBe(2);
      const projFile = join(p.proj, ".env.pmcp");
      expect(readFileSync(projFile, "utf8")).toContain("API_TOKEN=old-project-value");
      const second = mcpkit(
        ["gateway", "secrets", "sync", "--from-scope", "user", "--to-scope", "project", "--overwrite"],
        p.env(),
        p.proj,
      );
      expect(JSON.parse(second.stdout).updated).toEqual(["API_TOKEN"]);
      expect(readFileSync(projFile, "utf8")).toContain(`API_TOKEN=${SECRET}`);
      const same = mcpkit(
        ["gateway", "secrets", "sync", "--from-scope", "user", "--to-scope", "user"],
        p.env(),
        p.proj,
      );
      expect(same.code).toBe(2);
      for (const out of [first, second, same]) expect(out.stdout + out.stderr).not.toContain(SECRET);
    },
    TIMEOUT,
  );

  describe("doctor", () => {
    let blocker: Server;
    let blockedPort = 0;
    beforeAll(async () => {
      blocker = createServer((_req, res) => res.writeHead(404).end("not mcpkit"));
      await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", res));
      blockedPort = (blocker.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((res) => blocker.close(() => res())));

    it(
      "passes on a clean setup and fails (exit 1) on a missing credential, naming the variable and the fix",
      () => {
        const s = scratch();
        const clean = mcpkit(["gateway", "doctor", "--port", "0"], s.env(), s.dir);
        expect(clean.code).toBe(0);
        expect(clean.stdout).toContain("[OK] config");
        expect(clean.stdout).not.toContain("[FAIL]");
        const p = project();
        const missing = mcpkit(["gateway", "doctor", "--port", "0"], p.env(), p.proj);
        expect(missing.code).toBe(1);
        expect(missing.stdout).toMatch(
          /\[FAIL\] credentials\.svc: .*MY_SERVICE_API_KEY.*secrets set MY_SERVICE_API_KEY/,
        );
        mcpkit(
          ["gateway", "secrets", "set", "MY_SERVICE_API_KEY", SECRET, "--scope", "user"],
          p.env(),
          p.proj,
        );
        const fixed = mcpkit(["gateway", "doctor", "--port", "0", "--json"], p.env(), p.proj);
        expect(fixed.code).toBe(0);
        expect(JSON.parse(fixed.stdout).ok).toBe(true);
        expect(fixed.stdout).not.toContain(SECRET);
      },
      TIMEOUT,
    );

    it(
      "reports config and policy parse errors with file:line",
      () => {
        const p = project();
        const policy = join(p.dir, "policy.yaml");
        writeFileSync(policy, "servers:\n  denylist: []\nlimits:\n  max_output_bytes: lots\n");
        writeFileSync(
          join(p.proj, ".mcp.json"),
          '{\n  "mcpServers": {\n    "x": { "command": "node", }\n  }\n}\n',
        );
        const r = mcpkit(["gateway", "doctor", "--port", "0", "--policy", policy, "--json"], p.env(), p.proj);
        expect(r.code).toBe(1);
        const checks = JSON.parse(r.stdout).checks as Array<{
          name: string;
          status: string;
          message: string;
        }>;
        const byName = (n: string) => checks.find((c) => c.name === n)!;
        expect(byName("config").status).toBe("FAIL");
        expect(byName("config").message).toContain(`${join(p.proj, ".mcp.json")}:3`);
        expect(byName("policy").status).toBe("FAIL");
        expect(byName("policy").message).toContain(`${policy}:4: limits.max_output_bytes`);
      },
      TIMEOUT,
    );

    it(
      "fails when another program holds the HTTP port",
      () => {
        const s = scratch();
        const r = mcpkit(["gateway", "doctor", "--port", String(blockedPort)], s.env(), s.dir);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(
          new RegExp(`\\[FAIL\\] http: 127\\.0\\.0\\.1:${blockedPort} is taken by another program`),
        );
      },
      TIMEOUT,
    );
  });

  it(
    "guidance shows the level, its source and per-layer token costs",
    () => {
      const s = scratch();
      const minimal = JSON.parse(
        mcpkit(["gateway", "guidance", "--show-budget", "--json"], s.env(), s.dir).stdout,
      );
      expect(minimal.level).toBe("minimal");
      expect(minimal.level_source).toBe("default");
      expect(minimal.layers).toEqual({
        mcp_instructions: true,
        code_hints: true,
        code_snippets: false,
        methodology_resource: true,
      });
      expect(minimal.budget.L0_instructions).toBeGreaterThan(10);
      expect(minimal.budget.L1_per_card).toBeGreaterThan(0);
      expect(minimal.budget.L2_per_describe).toBe(0);
      expect(minimal.budget.L3_resource.when_read).toBeGreaterThan(200);
      mkdirSync(join(s.home, ".claude"), { recursive: true });
      writeFileSync(join(s.home, ".claude", "gateway-guidance.yaml"), "guidance:\n  level: standard\n");
      const standard = JSON.parse(
        mcpkit(["gateway", "guidance", "--show-budget", "--json"], s.env(), s.dir).stdout,
      );
      expect(standard.level).toBe("standard");
      expect(standard.level_source).toBe("file");
      expect(standard.budget.L2_per_describe).toBeGreaterThan(10);
      const text = mcpkit(["gateway", "guidance", "--guidance", "off"], s.env(), s.dir);
      expect(text.stdout).toContain("level: off (from --guidance / PMCP_GUIDANCE)");
      expect(text.stdout).toContain("L3 methodology_resource: off");
    },
    TIMEOUT,
  );

  it(
    "init writes a starter .mcp.json, never overwrites without --force, and adds manifest servers with placeholders",
    () => {
      const s = scratch();
      const proj = join(s.dir, "new");
      mkdirSync(proj);
      const first = mcpkit(["gateway", "init"], s.env(), proj);
      expect(first.code).toBe(0);
      const file = join(proj, ".mcp.json");
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ mcpServers: {}, autoStart: [] });
      writeFileSync(file, '{"mcpServers":{"mine":{"command":"x"}}}\n');
      const again = mcpkit(["gateway", "init"], s.env(), proj);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("--force");
      expect(readFileSync(file, "utf8")).toBe('{"mcpServers":{"mine":{"command":"x"}}}\n');
      const forced = mcpkit(["gateway", "init", "--force", "--add", "github"], s.env(), proj);
      expect(forced.code).toBe(0);
      const gh = JSON.parse(readFileSync(file, "utf8")).mcpServers.github;
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder init writes
      expect(gh.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe("${GITHUB_PERSONAL_ACCESS_TOKEN}");
      const status = JSON.parse(mcpkit(["gateway", "status", "--json"], s.env(), proj).stdout);
      expect(status.servers.map((x: { name: string }) => x.name)).toEqual(["github"]);
      const unknown = mcpkit(["gateway", "init", "--force", "--add", "no-such-server"], s.env(), proj);
      expect(unknown.code).toBe(2);
    },
    TIMEOUT,
  );
});
