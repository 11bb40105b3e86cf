// The login environment (issue #16): captured once per server start by one login shell, in the
// background; spawns run `bash -c` in it, so programs only the profile's PATH provides are found even
// when the server itself was started with a minimal PATH (a GUI client). PTY_MCP_LOGIN_SHELL=per-spawn
// keeps pty-mcp's `bash -lc` per spawn.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseEnv, connectStdio, type StdioSession } from "../helpers/mcpkit.ts";
import { fails, ok, tempDir, text } from "./helpers.ts";

/** The directory holding `node` (the server under test runs on it), so PATH can be minimal. */
function nodeDir(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "node"))) return dir;
  }
  return dirname(process.execPath);
}
const MINIMAL_PATH = [...new Set([nodeDir(), "/usr/bin", "/bin"])].join(delimiter);

/** A HOME whose ~/.bash_profile puts ~/bin on PATH, sets a variable and counts its runs. */
function loginHome(extraProfile = ""): string {
  const home = tempDir("pty-home-");
  mkdirSync(join(home, "bin"));
  writeFileSync(join(home, "bin", "myprog"), "#!/bin/sh\necho myprog-ran\n");
  chmodSync(join(home, "bin", "myprog"), 0o755);
  writeFileSync(
    join(home, ".bash_profile"),
    [
      'echo "welcome: profile noise on stdout"',
      'echo run >> "$HOME/profile-runs"',
      extraProfile,
      'export PATH="$HOME/bin:$PATH"',
      "export FROM_PROFILE=profile-ok",
      "",
    ].join("\n"),
  );
  return home;
}

const runs = (home: string) =>
  existsSync(join(home, "profile-runs"))
    ? readFileSync(join(home, "profile-runs"), "utf8").trim().split("\n").length
    : 0;

function start(home: string, mode: string, extra: Record<string, string> = {}): Promise<StdioSession> {
  return connectStdio(["pty"], {
    env: baseEnv({
      HOME: home,
      PATH: MINIMAL_PATH,
      PTY_MCP_LOGIN_SHELL: mode,
      PTY_MCP_STATE_DIR: tempDir("pty-state-"),
      PTY_MCP_REQUIRE_OWNER: "0",
      PTY_MCP_ENABLE_ADMIN_TOOLS: "1",
      ...extra,
    }),
  });
}

/** Runs a command to its end and returns what it printed. */
async function run(srv: StdioSession, command: string, extra: Record<string, unknown> = {}) {
  const id = text(
    (await srv.client.callTool({ name: "pty_spawn", arguments: { command, ...extra } })) as never,
  );
  expect(id).toMatch(/^\d+-\d+-[0-9a-f]{8}$/);
  const w = await ok(srv.client, "pty_wait", { session_id: id, timeout_ms: 15000 });
  expect(w.running).toBe(false);
  return (await ok(srv.client, "pty_read", { session_id: id, max_chars: 100000 })).text as string;
}

describe("login environment", () => {
  it("once (default): programs on the profile's PATH run, its variables are set, the profile ran once", async () => {
    const home = loginHome();
    const srv = await start(home, "once");
    try {
      expect(await run(srv, "myprog")).toBe("myprog-ran\r\n");
      expect(await run(srv, 'echo "$FROM_PROFILE"')).toBe("profile-ok\r\n");
      await run(srv, "true");
      // One login shell for the whole server, however many spawns; the profile's noise is not output.
      expect(runs(home)).toBe(1);
      const h = await ok(srv.client, "pty_health");
      expect(h.login_env).toMatchObject({ mode: "once", state: "ready" });
    } finally {
      await srv.close();
    }
  });

  it("the tmux backend gets the same environment", async () => {
    const home = loginHome();
    const srv = await start(home, "once");
    try {
      const out = await run(srv, 'myprog; echo "$FROM_PROFILE"', { backend: "tmux" });
      expect(out).toContain("myprog-ran");
      expect(out).toContain("profile-ok");
      expect(runs(home)).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it("without the login environment the same server refuses the program (what a minimal PATH gives)", async () => {
    const home = loginHome();
    const srv = await start(home, "off");
    try {
      expect(await fails(srv.client, "pty_spawn", { command: "myprog" })).toMatch(
        /command not found: myprog/,
      );
      expect(runs(home)).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it("per-spawn: pty-mcp's bash -lc, the profile runs for every spawn", async () => {
    const home = loginHome();
    const srv = await start(home, "per-spawn");
    try {
      expect(await run(srv, "myprog")).toContain("myprog-ran");
      expect(await run(srv, 'echo "$FROM_PROFILE"')).toContain("profile-ok");
      expect(runs(home)).toBe(2);
      expect((await ok(srv.client, "pty_health")).login_env).toMatchObject({
        mode: "per-spawn",
        state: "off",
      });
    } finally {
      await srv.close();
    }
  });

  it("a slow profile does not hold up the handshake; a spawn made meanwhile waits for it", async () => {
    // The profile blocks until the test creates ~/release (bounded, so a failure cannot hang it).
    const home = loginHome(
      'for i in $(seq 1 600); do [ -e "$HOME/release" ] && break; sleep 0.05; done\nexport LATE=after-release',
    );
    const srv = await start(home, "once");
    try {
      // Connected and answering while the profile is provably still blocked.
      const h = await ok(srv.client, "pty_health");
      expect(h.login_env).toMatchObject({ state: "pending" });
      expect(existsSync(join(home, "release"))).toBe(false);
      const spawned = run(srv, 'echo "$LATE"');
      writeFileSync(join(home, "release"), "");
      expect(await spawned).toBe("after-release\r\n");
      expect((await ok(srv.client, "pty_health")).login_env).toMatchObject({ state: "ready" });
    } finally {
      await srv.close();
    }
  });

  it("a failing or hung profile falls back to the server's environment with a one-line warning", async () => {
    const failing = await start(loginHome("exit 3"), "once");
    try {
      expect(await run(failing, "echo fallback-ok")).toBe("fallback-ok\r\n");
      expect((await ok(failing.client, "pty_health")).login_env).toMatchObject({ state: "fallback" });
      expect(failing.stderr()).toMatch(/login environment unavailable \(.*exited 3 before reporting\)/);
    } finally {
      await failing.close();
    }
    const hung = await start(loginHome("sleep 60"), "once", { PTY_MCP_LOGIN_ENV_TIMEOUT_SEC: "1" });
    try {
      expect(await run(hung, "echo still-works")).toBe("still-works\r\n");
      expect(hung.stderr()).toMatch(
        /login environment unavailable \(the login shell was still running after 1 s\)/,
      );
    } finally {
      await hung.close();
    }
  });
});
