// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client configs hold literal ${VAR} references
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLIENTS, clientById } from "../../lib/cli/setup/clients.ts";
import { type HttpLaunch, redactLaunch, type StdioLaunch } from "../../lib/cli/setup/launch.ts";
import { mergeTomlTable } from "../../lib/cli/setup/toml.ts";
import pkg from "../../package.json" with { type: "json" };
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";
import { cleanupTemps, run, tempDir } from "./helpers.ts";
import { readTinyToml, readTomlWithPython } from "./tiny-toml.ts";

// bun test ignores bunfig's timeout for these; every test that spawns processes says how long it may take.
const T = 90_000;

afterAll(cleanupTemps);

const MCPKIT = resolve(ROOT, "dist/mcpkit.mjs");
const SECRET = "tppm_0123456789abcdef";
const stdio: StdioLaunch = {
  mode: "stdio",
  command: "/opt/mcpkit/bin/mcpkit",
  args: ["trueppm"],
  env: { TRUEPPM_API_URL: "https://ppm.example.com", TRUEPPM_API_TOKEN: SECRET },
  forward: [],
};
const http: HttpLaunch = {
  mode: "http",
  url: "http://127.0.0.1:8000/mcp",
  headers: { Authorization: `Bearer ${SECRET}` },
};

/** The entry a client's rendered config holds for `name`, whatever the client's layout. */
function entryOf(clientId: string, text: string, name: string): any {
  if (clientId === "codex") return (readTinyToml(text).mcp_servers as any)[name];
  const doc = JSON.parse(text);
  const key = clientId === "vscode" ? "servers" : clientId === "opencode" ? "mcp" : "mcpServers";
  return doc[key][name];
}

function tomlBoth(text: string): Record<string, unknown> {
  const file = join(tempDir("toml"), "config.toml");
  writeFileSync(file, text);
  const py = readTomlWithPython(file);
  const tiny = readTinyToml(text);
  if (py) expect(py).toEqual(tiny);
  return tiny;
}

describe("client config rendering", () => {
  it.each(CLIENTS.filter((c) => c.id !== "claude-code").map((c) => c.id))(
    "%s: stdio entry parses",
    (id) => {
      const client = clientById(id)!;
      const text = client.print("mcpkit-trueppm", stdio);
      if (id === "codex") tomlBoth(text);
      const entry = entryOf(id, text, "mcpkit-trueppm");
      if (id === "opencode") {
        expect(entry).toEqual({
          type: "local",
          command: ["/opt/mcpkit/bin/mcpkit", "trueppm"],
          environment: stdio.env,
          enabled: true,
        });
      } else {
        expect(entry.command).toBe("/opt/mcpkit/bin/mcpkit");
        expect(entry.args).toEqual(["trueppm"]);
        expect(entry.env).toEqual(stdio.env);
        if (id === "vscode") expect(entry.type).toBe("stdio");
      }
    },
    T,
  );

  it.each(CLIENTS.filter((c) => c.id !== "claude-code").map((c) => c.id))(
    "%s: http entry parses",
    (id) => {
      const text = clientById(id)!.print("remote", http);
      if (id === "codex") tomlBoth(text);
      const entry = entryOf(id, text, "remote");
      const serialized = JSON.stringify(entry);
      expect(serialized).toContain("http://127.0.0.1:8000/mcp");
      expect(serialized).toContain(SECRET);
      if (id === "vscode" || id === "gemini") expect(entry.type).toBe("http");
      if (id === "opencode") expect(entry.type).toBe("remote");
      if (id === "codex") expect(entry.http_headers).toEqual({ Authorization: `Bearer ${SECRET}` });
      if (id === "claude-desktop") {
        // Claude Desktop has no URL entries in its file: the mcp-remote bridge carries the header in env.
        expect(entry.args).toContain("mcp-remote");
        expect(entry.env.AUTH_HEADER).toBe(`Bearer ${SECRET}`);
      }
    },
    T,
  );

  it(
    "claude-code prints a `claude mcp add` line with the name before --env",
    () => {
      const line = clientById("claude-code")!.print("mcpkit-trueppm", stdio).trim();
      expect(line).toMatch(/^claude mcp add --scope user mcpkit-trueppm --env TRUEPPM_API_URL=/);
      expect(line).toContain(` -- /opt/mcpkit/bin/mcpkit trueppm`);
      const bash = run("bash", ["-c", `set -- ${line.replace(/^claude /, "")}; printf '%s\\n' "$@"`]);
      expect(bash.stdout.split("\n")).toContain(`TRUEPPM_API_TOKEN=${SECRET}`);
      const remote = clientById("claude-code")!.print("remote", http).trim();
      expect(remote).toContain("--transport http --scope user remote http://127.0.0.1:8000/mcp");
    },
    T,
  );

  it(
    "printing redacts secrets in env values and auth headers",
    () => {
      for (const client of CLIENTS) {
        for (const launch of [stdio, http]) {
          const text = client.print("x", redactLaunch(launch));
          expect(text).not.toContain(SECRET);
          expect(text).toContain("<redacted>");
        }
      }
      expect(client("cursor").print("x", redactLaunch(stdio))).toContain("https://ppm.example.com");
    },
    T,
  );

  it(
    "TOML merge replaces its own tables, keeps everything else, refuses inline definitions",
    () => {
      const before = [
        'model = "o3"',
        "",
        "[mcp_servers.other]",
        'command = "other"',
        "",
        "[mcp_servers.mine]",
        'command = "old"',
        "[mcp_servers.mine.env]",
        'OLD = "1"',
        "",
        "[profiles.fast]",
        'model = "o4-mini"',
        "",
      ].join("\n");
      const merged = mergeTomlTable(
        "config.toml",
        before,
        "mcp_servers",
        "mine",
        clientById("codex")!.print("mine", stdio),
      );
      const doc = tomlBoth(merged) as any;
      expect(doc.model).toBe("o3");
      expect(doc.mcp_servers.other).toEqual({ command: "other" });
      expect(doc.profiles.fast).toEqual({ model: "o4-mini" });
      expect(doc.mcp_servers.mine.command).toBe("/opt/mcpkit/bin/mcpkit");
      expect(doc.mcp_servers.mine.env).toEqual(stdio.env);
      expect(() =>
        mergeTomlTable(
          "config.toml",
          '[mcp_servers]\nmine = { command = "x" }\n',
          "mcp_servers",
          "mine",
          "[x]\n",
        ),
      ).toThrow(/inline or dotted/);
    },
    T,
  );

  it(
    "TOML strings survive quotes, backslashes and newlines",
    () => {
      const odd: StdioLaunch = {
        mode: "stdio",
        command: 'C:\\Program Files\\mcpkit "x"\n',
        args: ["a'b"],
        env: {},
        forward: [],
      };
      const doc = tomlBoth(clientById("codex")!.print("odd", odd)) as any;
      expect(doc.mcp_servers.odd.command).toBe(odd.command);
      expect(doc.mcp_servers.odd.args).toEqual(["a'b"]);
    },
    T,
  );
});

function client(id: string) {
  return clientById(id)!;
}

describe("mcpkit setup (CLI)", () => {
  it(
    "prints a snippet with <redacted> secrets and the absolute command of this mcpkit",
    () => {
      const r = run("node", [
        MCPKIT,
        "setup",
        "--client",
        "cursor",
        "--server",
        "trueppm",
        "--env",
        `TRUEPPM_API_TOKEN=${SECRET}`,
        "--env",
        "TRUEPPM_API_URL=https://ppm.example.com",
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      const entry = JSON.parse(r.stdout).mcpServers["mcpkit-trueppm"];
      expect(entry.command).toBe(run("node", ["-p", "process.execPath"]).stdout.trim());
      expect(entry.args).toEqual([MCPKIT, "trueppm"]);
      expect(entry.env).toEqual({
        TRUEPPM_API_TOKEN: "<redacted>",
        TRUEPPM_API_URL: "https://ppm.example.com",
      });
      expect(r.stderr).toContain("--write");
    },
    T,
  );

  it(
    "--npx launches through npx -y mcpkit@<version> (registry check: tests/distribution/setup-npx.test.ts)",
    () => {
      const r = run("node", [MCPKIT, "setup", "-c", "gemini", "-s", "pty", "--npx", "--no-verify"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).mcpServers["mcpkit-pty"]).toEqual({
        command: "npx",
        args: ["-y", `mcpkit@${pkg.version}`, "pty"],
      });
    },
    T,
  );

  it(
    "--write merges into a JSON config, keeps other entries, backs the old file up",
    () => {
      const dir = tempDir("setup-json");
      const file = join(dir, ".vscode", "mcp.json");
      run("mkdir", ["-p", join(dir, ".vscode")]);
      const before = { inputs: [{ id: "k" }], servers: { other: { type: "stdio", command: "other" } } };
      writeFileSync(file, JSON.stringify(before));
      const r = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "vscode",
        "-s",
        "trueppm",
        "--env",
        `TRUEPPM_API_TOKEN=${SECRET}`,
        "--write",
        "--config-path",
        file,
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      const after = JSON.parse(readFileSync(file, "utf8"));
      // The existing input stays; TRUEPPM_API_URL, not given, becomes a prompt the entry refers to.
      expect(after.inputs).toEqual([
        ...before.inputs,
        expect.objectContaining({ type: "promptString", id: "mcpkit-trueppm-trueppm-api-url" }),
      ]);
      expect(after.servers["mcpkit-trueppm"].env.TRUEPPM_API_URL).toBe(
        "${input:mcpkit-trueppm-trueppm-api-url}",
      );
      expect(after.servers.other).toEqual(before.servers.other);
      expect(after.servers["mcpkit-trueppm"].env.TRUEPPM_API_TOKEN).toBe(SECRET);
      const backups = readdirSync(join(dir, ".vscode")).filter((f) =>
        f.startsWith("mcp.json.mcpkit-backup-"),
      );
      expect(backups).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, ".vscode", backups[0]!), "utf8"))).toEqual(before);
    },
    T,
  );

  it(
    "--write creates a missing Codex config and merges into an existing one",
    () => {
      const dir = tempDir("setup-toml");
      const file = join(dir, "config.toml");
      const first = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "codex",
        "-s",
        "pty",
        "--write",
        "--config-path",
        file,
      ]);
      expect(first.code).toBe(0);
      expect(readdirSync(dir)).toEqual(["config.toml"]);
      writeFileSync(file, `model = "o3"\n\n${readFileSync(file, "utf8")}`);
      const second = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "codex",
        "-s",
        "pty",
        "--env",
        "PTY_MCP_ALLOW=1",
        "--write",
        "--config-path",
        file,
      ]);
      expect(second.code).toBe(0);
      const doc = tomlBoth(readFileSync(file, "utf8")) as any;
      expect(doc.model).toBe("o3");
      expect(doc.mcp_servers["mcpkit-pty"].env).toEqual({ PTY_MCP_ALLOW: "1" });
      expect(readdirSync(dir).some((f) => f.startsWith("config.toml.mcpkit-backup-"))).toBe(true);
    },
    T,
  );

  it(
    "refuses to rewrite a JSON file it cannot parse, and leaves it alone",
    () => {
      const file = join(tempDir("setup-jsonc"), "settings.json");
      writeFileSync(file, '{ // comment\n "mcpServers": {} }');
      const r = run("node", [MCPKIT, "setup", "-c", "gemini", "-s", "pty", "--write", "--config-path", file]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("not plain JSON");
      expect(readFileSync(file, "utf8")).toContain("// comment");
      expect(existsSync(`${file}.mcpkit-tmp-${process.pid}`)).toBe(false);
    },
    T,
  );

  it(
    "bad --env says how to fix it without echoing the value",
    () => {
      const r = run("node", [MCPKIT, "setup", "-c", "cursor", "-s", "pty", "--env", SECRET]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("KEY=VALUE");
      expect(r.stderr).not.toContain(SECRET);
    },
    T,
  );
});

describe("mcpkit setup: required variables, CLAUDE_CONFIG_DIR, hints and URLs", () => {
  /** `mcpkit setup -c <client> -s ptm` without --env: stdout, stderr and the entry. */
  const bare = (clientId: string, extra: string[] = []) => {
    const r = run("node", [MCPKIT, "setup", "-c", clientId, "-s", "ptm", ...extra]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ptm needs PTM_API_BASE_URL \(.*\) and PTM_API_TOKEN \(/);
    return r;
  };

  it(
    "without --env, each client's entry passes the required variables in that client's own form",
    () => {
      const codex = readTinyToml(bare("codex").stdout).mcp_servers as any;
      expect(codex["mcpkit-ptm"].env_vars).toEqual(["PTM_API_BASE_URL", "PTM_API_TOKEN"]);
      expect(codex["mcpkit-ptm"].env).toBeUndefined();

      const gemini = entryOf("gemini", bare("gemini").stdout, "mcpkit-ptm");
      expect(gemini.env).toEqual({
        PTM_API_BASE_URL: "${PTM_API_BASE_URL}",
        PTM_API_TOKEN: "${PTM_API_TOKEN}",
      });

      expect(entryOf("cursor", bare("cursor").stdout, "mcpkit-ptm").env).toEqual({
        PTM_API_BASE_URL: "${env:PTM_API_BASE_URL}",
        PTM_API_TOKEN: "${env:PTM_API_TOKEN}",
      });
      expect(entryOf("opencode", bare("opencode").stdout, "mcpkit-ptm").environment).toEqual({
        PTM_API_BASE_URL: "{env:PTM_API_BASE_URL}",
        PTM_API_TOKEN: "{env:PTM_API_TOKEN}",
      });

      const vscode = JSON.parse(bare("vscode").stdout);
      expect(vscode.servers["mcpkit-ptm"].env.PTM_API_TOKEN).toBe("${input:mcpkit-ptm-ptm-api-token}");
      const token = vscode.inputs.find((i: any) => i.id === "mcpkit-ptm-ptm-api-token");
      expect(token).toMatchObject({ type: "promptString", password: true });
      expect(vscode.inputs.find((i: any) => i.id === "mcpkit-ptm-ptm-api-base-url").password).toBeUndefined();

      // The printed `claude mcp add` line stores the reference itself, for Claude Code to expand.
      const line = bare("claude-code").stdout.trim();
      const words = run("bash", ["-c", `set -- ${line.replace(/^claude /, "")}; printf '%s\\n' "$@"`], {
        env: baseEnv({ PTM_API_TOKEN: "from-the-shell" }),
      }).stdout.split("\n");
      expect(words).toContain("PTM_API_TOKEN=${PTM_API_TOKEN}");
      expect(words).toContain("PTM_API_BASE_URL=${PTM_API_BASE_URL}");
    },
    T,
  );

  it(
    "a value given with --env is written; only the rest is forwarded",
    () => {
      const r = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "codex",
        "-s",
        "trueppm",
        "--env",
        "TRUEPPM_API_URL=https://ppm.example.com",
      ]);
      expect(r.code).toBe(0);
      const entry = (readTinyToml(r.stdout).mcp_servers as any)["mcpkit-trueppm"];
      expect(entry.env).toEqual({ TRUEPPM_API_URL: "https://ppm.example.com" });
      expect(entry.env_vars).toEqual(["TRUEPPM_API_TOKEN"]);
      expect(r.stderr).toContain("trueppm needs TRUEPPM_API_TOKEN");
      expect(r.stderr).not.toContain("needs TRUEPPM_API_URL");
      // Servers without required variables say nothing about them.
      expect(run("node", [MCPKIT, "setup", "-c", "codex", "-s", "pty"]).stderr).not.toContain("needs");
    },
    T,
  );

  it(
    "Claude Desktop cannot reference variables: placeholders when printing, a refusal naming them on --write",
    () => {
      const r = bare("claude-desktop");
      expect(entryOf("claude-desktop", r.stdout, "mcpkit-ptm").env).toEqual({
        PTM_API_BASE_URL: "<set PTM_API_BASE_URL>",
        PTM_API_TOKEN: "<set PTM_API_TOKEN>",
      });
      const file = join(tempDir("setup-desktop"), "claude_desktop_config.json");
      const w = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "claude-desktop",
        "-s",
        "ptm",
        "--write",
        "--config-path",
        file,
      ]);
      expect(w.code).toBe(2);
      expect(w.stderr.trim().split("\n")).toHaveLength(1);
      expect(w.stderr).toContain("give PTM_API_BASE_URL and PTM_API_TOKEN with --env");
      expect(existsSync(file)).toBe(false);
    },
    T,
  );

  it(
    "claude-code --write honours CLAUDE_CONFIG_DIR",
    () => {
      const home = tempDir("setup-home");
      const configDir = tempDir("setup-claude-dir");
      const r = run("node", [MCPKIT, "setup", "-c", "claude-code", "-s", "pty", "--write"], {
        env: baseEnv({ HOME: home, CLAUDE_CONFIG_DIR: configDir }),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(join(configDir, ".claude.json"));
      const doc = JSON.parse(readFileSync(join(configDir, ".claude.json"), "utf8"));
      expect(doc.mcpServers["mcpkit-pty"]).toMatchObject({ type: "stdio", args: [MCPKIT, "pty"] });
      expect(existsSync(join(home, ".claude.json"))).toBe(false);
    },
    T,
  );

  it(
    "--mode http: the start hint is runnable (absolute path, port, host, token redacted, variables named)",
    () => {
      const r = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "cursor",
        "-s",
        "ptm",
        "--mode",
        "http",
        "--url",
        "http://192.168.1.20:4000/mcp",
        "--auth-token",
        SECRET,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      const hint = r.stderr.split("\n").find((l) => l.includes("start the server with:"))!;
      const node = run("node", ["-p", "process.execPath"]).stdout.trim();
      expect(hint).toContain(
        `start the server with: MCPKIT_AUTH_TOKEN=<redacted> ${node} ${MCPKIT} ptm --transport http --host 0.0.0.0 --port 4000`,
      );
      expect(hint).toContain("with PTM_API_BASE_URL and PTM_API_TOKEN set");
      const local = run("node", [MCPKIT, "setup", "-c", "gemini", "-s", "pty", "--mode", "http", "--npx"]);
      expect(local.stderr).toContain(
        `start the server with: npx -y mcpkit@${pkg.version} pty --transport http --port 3346\n`,
      );
    },
    T,
  );

  it(
    "--mode http refuses a URL the client cannot use, naming the right one",
    () => {
      for (const [url, why] of [
        ["http://127.0.0.1:3347/sse", "legacy SSE endpoint"],
        ["http://127.0.0.1:3347/messages?sessionId=x", "legacy SSE message endpoint"],
        ["http://127.0.0.1:3347/", "serves nothing"],
      ] as const) {
        const r = run("node", [MCPKIT, "setup", "-c", "codex", "-s", "ptm", "--mode", "http", "--url", url]);
        expect(r.code, url).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(why);
        expect(r.stderr).toContain("http://127.0.0.1:3347/mcp");
      }
      const ftp = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "codex",
        "-s",
        "ptm",
        "--mode",
        "http",
        "--url",
        "ftp://x/mcp",
      ]);
      expect(ftp.code).toBe(2);
      expect(ftp.stderr).toContain("http:// or https://");
      const proxied = run("node", [
        MCPKIT,
        "setup",
        "-c",
        "codex",
        "-s",
        "ptm",
        "--mode",
        "http",
        "--url",
        "https://tools.example.com/ptm/mcp",
      ]);
      expect(proxied.code).toBe(0);
    },
    T,
  );
});
