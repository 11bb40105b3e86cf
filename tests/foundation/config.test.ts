import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import { ConfigError, StartupError } from "../../lib/core/errors.ts";
import { redactor } from "../../lib/core/redact.ts";
import { bool, choice, int, type Setting, text } from "../../lib/core/settings/declare.ts";
import { ownSettings, serverPlans } from "../../lib/core/settings/plans.ts";
import { resolvePlans, resolveSettings, type SettingPlan } from "../../lib/core/settings/resolve.ts";
import { resolveServerConfig, serverSettings } from "../../lib/core/settings/server-config.ts";
import { SHARED_SETTINGS } from "../../lib/core/settings/shared.ts";
import { gatewayCommand } from "../../lib/servers/gateway/command.ts";
import { ptmCommand } from "../../lib/servers/ptm/command.ts";
import { ptyCommand } from "../../lib/servers/pty/command.ts";
import { baseEnv, mcpkitCommand, ROOT } from "../helpers/mcpkit.ts";

/** What a thrown error says and its exit code, or undefined when nothing was thrown. */
function thrown(fn: () => unknown): { message: string; exitCode: number; error: unknown } | undefined {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; exitCode: number };
    return { message: e.message, exitCode: e.exitCode, error };
  }
  return undefined;
}

const level = text({
  flag: "--level <l>",
  env: ["NEW_LEVEL", "OLD_LEVEL"],
  default: "info",
  description: "x",
});

describe("resolving settings (in-process)", () => {
  it("takes the flag, then the variables in order, then the alias profile's default, then the declared one", () => {
    const plan = (extra: Partial<SettingPlan> = {}): SettingPlan[] => [
      { key: "level", setting: level as Setting, extraEnv: ["ALIAS_LEVEL"], ...extra },
    ];
    const env = { NEW_LEVEL: "new", OLD_LEVEL: "old", ALIAS_LEVEL: "alias" };
    expect(resolvePlans(plan(), { flags: { level: "flag" }, env }).values.level).toBe("flag");
    expect(resolvePlans(plan(), { flags: { level: "flag" }, env }).sources.level).toEqual({
      kind: "flag",
      name: "--level",
    });
    expect(resolvePlans(plan(), { env }).values.level).toBe("new");
    expect(resolvePlans(plan(), { env: { OLD_LEVEL: "old", ALIAS_LEVEL: "alias" } }).values.level).toBe(
      "old",
    );
    expect(resolvePlans(plan(), { env: { ALIAS_LEVEL: "alias", NEW_LEVEL: "  " } }).values.level).toBe(
      "alias",
    );
    expect(resolvePlans(plan({ profileDefault: "profile" }), { env: {} }).values.level).toBe("profile");
    expect(resolvePlans(plan(), { env: {} }).values.level).toBe("info");
  });

  it("parses through the schema: numbers, switches, choices with synonyms", () => {
    const settings = {
      n: int({ env: ["N"], min: 1, max: 9, description: "" }),
      on: bool({ flag: "--on", env: ["ON"], default: false, description: "" }),
      fmt: choice(["text", "json"], { env: ["FMT"], synonyms: { plain: "text" }, description: "" }),
    };
    expect(resolveSettings(settings, { flags: { on: true }, env: { N: " 7 ", FMT: "Plain" } })).toEqual({
      n: 7,
      on: true,
      fmt: "text",
    });
    expect(resolveSettings(settings, { env: { ON: "off" } })).toEqual({
      n: undefined,
      on: false,
      fmt: undefined,
    });
    expect(thrown(() => resolveSettings(settings, { env: { N: "10" } }))?.message).toBe(
      "N: expected at most 9",
    );
    expect(thrown(() => resolveSettings(settings, { env: { N: "1.5" } }))?.message).toBe(
      "N: expected an integer",
    );
    expect(thrown(() => resolveSettings(settings, { env: { ON: "maybe" } }))?.message).toContain(
      "ON: expected true/false",
    );
  });

  it("a bad value names the flag or variable, never the value; exit 2 unless the plan says otherwise", () => {
    const port = { port: int({ flag: "--port <n>", env: ["PORT"], min: 0, max: 65535, description: "" }) };
    const bad = thrown(() => resolveSettings(port, { env: { PORT: "not-a-port-x7" } }))!;
    expect(bad.error).toBeInstanceOf(ConfigError);
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toBe("PORT: expected a number");
    const flag = thrown(() => resolveSettings(port, { flags: { port: "70000" }, env: {} }))!;
    expect(flag.message).toBe("--port (PORT): expected at most 65535");
    const own = thrown(() =>
      resolveSettings(
        port,
        { env: { PORT: "x" } },
        { exitCode: 1, formatError: (m) => `Configuration error: ${m}.` },
      ),
    )!;
    expect(own.error).toBeInstanceOf(StartupError);
    expect(own.exitCode).toBe(1);
    expect(own.message).toBe("Configuration error: PORT: expected a number.");
  });

  it("a missing required setting names its variable with the declared reason", () => {
    const url = {
      url: text({ env: ["API_URL"], required: "is required: set it to your backend", description: "" }),
    };
    expect(thrown(() => resolveSettings(url, { env: { API_URL: " " } }))?.message).toBe(
      "API_URL is required: set it to your backend",
    );
  });

  it("registers secrets with the redactor as they are read, and names unexpanded references without registering them", () => {
    const token = { token: text({ env: ["SOME_TOKEN"], secret: true, description: "" }) };
    const secret = "s3cret-config-test-value";
    expect(redactor.redact(`x ${secret} y`)).toContain(secret);
    resolveSettings(token, { env: { SOME_TOKEN: secret } });
    expect(redactor.redact(`x ${secret} y`)).not.toContain(secret);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the unexpanded client-config reference itself
    const ref = thrown(() => resolveSettings(token, { env: { SOME_TOKEN: "${SOME_TOKEN}" } }))!;
    expect(ref.message).toMatch(/^SOME_TOKEN is the unexpanded reference \$\{SOME_TOKEN\}: the MCP client/);
  });

  it("a server's original variables for shared settings come after mcpkit's, and their errors use the server's exit code", () => {
    const pty = resolveServerConfig(ptyCommand, {
      env: { PTY_MCP_LOG: "WARNING", PTY_MCP_LOG_FORMAT: "plain" },
    });
    expect(pty.shared.logLevel).toBe("warn");
    expect(pty.shared.logFormat).toBe("text");
    expect(pty.shared.port).toBe(3346);
    const both = resolveServerConfig(ptyCommand, {
      env: { PTY_MCP_LOG: "debug", MCPKIT_LOG_LEVEL: "error" },
    });
    expect(both.shared.logLevel).toBe("error");
    const flag = resolveServerConfig(ptyCommand, {
      flags: { logLevel: "info" },
      env: { PTY_MCP_LOG: "debug" },
    });
    expect(flag.shared.logLevel).toBe("info");

    const ptmEnv = { PTM_API_BASE_URL: "https://ptm.example.com", PTM_API_TOKEN: "ptm_u_config_test" };
    const own = thrown(() =>
      resolveServerConfig(ptmCommand, { env: { ...ptmEnv, PTM_MCP_LOG_LEVEL: "LOUD" } }),
    )!;
    expect(own.exitCode).toBe(1);
    expect(own.message).toContain("PTM_MCP_LOG_LEVEL");
    const shared = thrown(() =>
      resolveServerConfig(ptmCommand, { env: { ...ptmEnv, MCPKIT_LOG_LEVEL: "LOUD" } }),
    )!;
    expect(shared.exitCode).toBe(2);
    expect(shared.message).toContain("MCPKIT_LOG_LEVEL");
  });

  it("the pmcp alias adds PMCP's variables after mcpkit's and replaces defaults; the gateway's own name does not", () => {
    const env = { PMCP_PORT: "4000", PMCP_LOG_LEVEL: "WARNING" };
    const pmcp = resolveServerConfig(gatewayCommand, { env, alias: "pmcp" });
    expect(pmcp.shared.port).toBe(4000);
    expect(pmcp.shared.logLevel).toBe("warn");
    expect(pmcp.config.toolNames).toBe("dotted");
    const withMcpkit = resolveServerConfig(gatewayCommand, {
      env: { ...env, MCPKIT_PORT: "4001" },
      alias: "pmcp",
    });
    expect(withMcpkit.shared.port).toBe(4001);
    const gateway = resolveServerConfig(gatewayCommand, { env });
    expect(gateway.shared.port).toBe(3344);
    expect(gateway.config.toolNames).toBe("default");
    expect(
      resolveServerConfig(gatewayCommand, { env: { PMCP_TOOL_NAMES: "default" }, alias: "pmcp" }).config
        .toolNames,
    ).toBe("default");
  });

  it("serverSettings hands back the CLI's ctx.config, or resolves ctx.options and ctx.env for hosts without the CLI", () => {
    const config = { anything: 1 };
    expect(serverSettings({ config, env: {} }, ptyCommand)).toBe(config as never);
    const resolved = serverSettings(
      { options: { backend: "tmux" }, env: { PTY_MCP_MAX_SESSIONS: "3" } },
      ptyCommand,
    );
    expect(resolved.backend).toBe("tmux");
    expect(resolved.maxSessions).toBe(3);
    expect(resolved.requireOwner).toBe(true);
  });
});

describe("the declarations", () => {
  it("no server setting shares a key with a shared one; every variable belongs to one setting per server", () => {
    for (const spec of SERVER_COMMANDS) {
      const variables = serverPlans(spec).flatMap((p) => [...(p.setting.env ?? []), ...(p.extraEnv ?? [])]);
      expect(new Set(variables).size, spec.name).toBe(variables.length);
      for (const [key, setting] of ownSettings(spec)) {
        expect(key in SHARED_SETTINGS, `${spec.name}.${key}`).toBe(false);
        expect(setting.description.length, `${spec.name}.${key}`).toBeGreaterThan(0);
        expect(Boolean(setting.flag || setting.env?.length), `${spec.name}.${key} can be set`).toBe(true);
        if (setting.required) expect(setting.env?.length, `${spec.name}.${key}`).toBeGreaterThan(0);
      }
    }
  });

  it("every declared default is a value its own schema accepts", () => {
    for (const spec of SERVER_COMMANDS) {
      for (const plan of serverPlans(spec)) {
        const value = plan.defaultValue ?? plan.setting.default;
        if (value === undefined) continue;
        const raw = Array.isArray(value) ? value.join(",") : String(value);
        const { values } = resolvePlans([{ key: plan.key, setting: plan.setting }], {
          env: {},
          flags: { [plan.key]: raw },
        });
        expect(values[plan.key], `${spec.name}.${plan.key}`).toEqual(value);
      }
    }
  });
});

function run(args: string[], env: Record<string, string> = {}) {
  const cmd = mcpkitCommand();
  const r = spawnSync(cmd.command, [...cmd.args, ...args], {
    env: baseEnv(env),
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the CLI resolves settings once and makes the one logger", () => {
  it("PTY_MCP_LOG sets pty's log level, below --log-level and MCPKIT_LOG_LEVEL", () => {
    expect(run(["pty"], { PTY_MCP_LOG: "debug" }).stderr).toContain("[pty] debug:");
    expect(run(["pty", "--log-level", "error"], { PTY_MCP_LOG: "debug" }).stderr).not.toContain("debug:");
    expect(run(["pty"], { PTY_MCP_LOG: "debug", MCPKIT_LOG_LEVEL: "warn" }).stderr).not.toContain("debug:");
    const json = run(["pty"], { PTY_MCP_LOG: "debug", PTY_MCP_LOG_FORMAT: "json" });
    const first = json.stderr.split("\n").find((l) => l.includes('"level":"debug"'));
    expect(first && JSON.parse(first).scope).toBe("pty");
  });

  it("a bad value exits 2 with one line naming the variable, not its value", () => {
    const r = run(["pty"], { PTY_MCP_LOG: "loud-x7" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "mcpkit: PTY_MCP_LOG: expected one of debug, info, warn, error, silent",
    ]);
    const n = run(["pty"], { PTY_MCP_MAX_SESSIONS: "0" });
    expect(n.code).toBe(2);
    expect(n.stderr.trim()).toBe("mcpkit: PTY_MCP_MAX_SESSIONS: expected at least 1");
  });

  it("--help lists the flags with their variables and the settings only a variable sets", () => {
    const help = run(["pty", "--help"]).stdout;
    expect(help).toMatch(/--log-level <level>[\s\S]*env: MCPKIT_LOG_LEVEL or\s+PTY_MCP_LOG\)/);
    expect(help).toMatch(/--port <number>[\s\S]*default:\s+3346/);
    expect(help).toContain("Variables (no flag):");
    expect(help).toMatch(/PTY_MCP_MAX_SESSIONS\s+live \+ retained sessions/);
  });

  it("the resolver is a chunk of its own, loaded when a command runs (never for --help or --version)", () => {
    const main = readFileSync(join(ROOT, "dist/mcpkit.mjs"), "utf8");
    expect(main).toMatch(/import\("\.\/chunks\/server-config-[\w-]+\.mjs"\)/);
  });
});
