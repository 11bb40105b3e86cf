// Patterns and quiescence wait for the program's output, never for the echo of the input just typed
// (issue #16). Each case would return early on the echo alone if the echo were matched: the assertions
// check that the returned text goes past the echo to the program's own output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { call, ok, startPty, text } from "./helpers.ts";

const O = { owner: "echo" };
let srv: StdioSession;

beforeAll(async () => {
  srv = await startPty();
});
afterAll(async () => {
  await srv?.close();
});

const count = (hay: string, needle: string) => hay.split(needle).length - 1;

async function spawnWaiting(command: string, prompt: string, extra: Record<string, unknown> = {}) {
  const id = text(await call(srv.client, "pty_spawn", { ...O, command, ...extra }));
  const r = await ok(srv.client, "pty_read_until", {
    session_id: id,
    ...O,
    pattern: prompt,
    timeout_ms: 15000,
  });
  expect(r.matched).toBe(true);
  return id;
}

const bash = (extra: Record<string, unknown> = {}) =>
  spawnWaiting("PS1='$ ' exec bash --norc --noprofile -i", "$ ", extra);
const python = () => spawnWaiting("exec python3 -q -i", ">>> ");

describe("patterns skip the echo of typed input: bash", () => {
  it("pty_prompt waits for the command's output, not the echoed command line", async () => {
    const id = await bash();
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "sleep 1; echo DONE\n",
      patterns: ["DONE"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    // The echo ("sleep 1; echo DONE") and then the program's "DONE": the match is the second one.
    expect(r.text).toContain("sleep 1; echo DONE\r\n");
    expect(count(r.text, "DONE"), JSON.stringify(r.text)).toBe(2);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("pty_read_until and pty_read_until_any after pty_write; reads still return the echo", async () => {
    const id = await bash();
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "sleep 1; echo FIN\r" });
    const u = await ok(srv.client, "pty_read_until", {
      session_id: id,
      ...O,
      pattern: "FIN",
      timeout_ms: 15000,
    });
    expect(u.matched).toBe(true);
    expect(count(u.text, "FIN"), JSON.stringify(u.text)).toBe(2);

    // Back at the prompt first: typed earlier, the line would be echoed twice (see the type-ahead case).
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "$ ", timeout_ms: 15000 });
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "sleep 1; echo OK\r" });
    const any = await ok(srv.client, "pty_read_until_any", {
      session_id: id,
      ...O,
      patterns: ["ERR", "OK"],
      timeout_ms: 15000,
    });
    expect(any, JSON.stringify(any.text)).toMatchObject({ matched: true, pattern: "OK" });
    expect(count(any.text, "OK"), JSON.stringify(any.text)).toBe(2);

    // A plain read returns the echo as output: only matching ignores it.
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "$ ", timeout_ms: 15000 });
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "echo R''EAD\r" });
    const read = await ok(srv.client, "pty_read_until", {
      session_id: id,
      ...O,
      pattern: "READ",
      timeout_ms: 15000,
    });
    expect(read.text, JSON.stringify(read.text)).toContain("echo R''EAD\r\n");
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("pty_read_quiescent and pty_write wait_ms wait past the echo for the program's output", async () => {
    const id = await bash();
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "sleep 1; echo QUIET\r" });
    const q = await ok(srv.client, "pty_read_quiescent", {
      session_id: id,
      ...O,
      quiescence_ms: 300,
      timeout_ms: 15000,
    });
    expect(count(q.text, "QUIET"), JSON.stringify(q.text)).toBe(2);

    const w = await ok(srv.client, "pty_write", {
      session_id: id,
      ...O,
      data: "sleep 1; echo WAITED\r",
      wait_ms: 15000,
    });
    expect(count(w.output, "WAITED"), JSON.stringify(w.output)).toBe(2);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("input typed while the shell is busy is echoed twice (tty, then readline); neither matches", async () => {
    const id = await bash();
    // Once BUSYSTART is printed, bash runs sleep with the terminal's own echo back on.
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "echo BUSY''START; sleep 1\r" });
    const busy = await ok(srv.client, "pty_read_until", {
      session_id: id,
      ...O,
      pattern: "BUSYSTART",
      timeout_ms: 15000,
    });
    expect(busy.matched).toBe(true);
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "echo TYPED\r",
      patterns: ["TYPED"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    expect(count(r.text, "TYPED"), JSON.stringify(r.text)).toBe(3);
    // The match is the program's line (after a line break), not an echo ("echo TYPED").
    expect(r.text).toMatch(/\rTYPED$/);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("a program that repeats the answer it read is matched (its line is output, not a second echo)", async () => {
    const id = text(
      await call(srv.client, "pty_spawn", {
        ...O,
        command:
          'read -p "continue? " ans; sleep 0.2; echo "done: $ans"; read -p "again? " b; echo "$b"; sleep 5',
      }),
    );
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "continue?", timeout_ms: 15000 });
    const first = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "yes\n",
      patterns: ["done: yes"],
      timeout_ms: 15000,
    });
    expect(first.matched, JSON.stringify(first)).toBe(true);
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: "again?", timeout_ms: 15000 });
    // `echo "$b"` puts the answer alone on a line, right after its echo: cat's case, matched as output.
    const second = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "sure\n",
      patterns: ["sure"],
      timeout_ms: 15000,
    });
    expect(second.matched, JSON.stringify(second)).toBe(true);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("a multi-line write: each line's echo is skipped, even after the previous line's output", async () => {
    const id = await bash();
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "echo L1\rsleep 0.5; echo L2\r",
      patterns: ["L2"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    expect(count(r.text, "L1"), JSON.stringify(r.text)).toBe(2);
    expect(count(r.text, "L2"), JSON.stringify(r.text)).toBe(2);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });
});

describe("patterns skip the echo of typed input: python3 -i and cat", () => {
  it("python3 -i: readline's echo is skipped; multi-line blocks too", async () => {
    const id = await python();
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: 'import time; time.sleep(1); print("DONE")\n',
      patterns: ["DONE"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    expect(count(r.text, "DONE"), JSON.stringify(r.text)).toBe(2);

    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: ">>> ", timeout_ms: 15000 });
    const block = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: 'for i in range(2):\n  time.sleep(0.3); print("ROW-END" if i else "ROW-0")\n\n',
      patterns: ["ROW-END"],
      timeout_ms: 15000,
    });
    // The second line is echoed after python's "... " prompt, and then the loop prints.
    expect(block.matched).toBe(true);
    expect(block.text).toContain("ROW-0\r\n");
    expect(count(block.text, "ROW-END"), JSON.stringify(block.text)).toBe(2);
    await ok(srv.client, "pty_read_until", { session_id: id, ...O, pattern: ">>> ", timeout_ms: 15000 });
    const q = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "6*7\n",
      patterns: [">>> "],
      timeout_ms: 15000,
    });
    expect(q.text).toContain("42\r\n>>> ");
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("cat: the line cat prints back is the match, not the terminal's echo of it; every time", async () => {
    const id = text(await call(srv.client, "pty_spawn", { ...O, command: "cat" }));
    for (let i = 0; i < 3; i++) {
      const r = await ok(srv.client, "pty_prompt", {
        session_id: id,
        ...O,
        data: "ping\n",
        patterns: ["ping"],
        timeout_ms: 15000,
      });
      expect(r.matched).toBe(true);
      expect(r.text).toBe("ping\r\nping");
      await ok(srv.client, "pty_read", { session_id: id, ...O, timeout_ms: 200 });
    }
    await ok(srv.client, "pty_write", { session_id: id, ...O, data: "pong\n" });
    const q = await ok(srv.client, "pty_read_quiescent", {
      session_id: id,
      ...O,
      quiescence_ms: 300,
      timeout_ms: 15000,
    });
    expect(q.text).toBe("pong\r\npong\r\n");
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("echo off (stty -echo, password prompts): the program's output is matched even if it repeats the input", async () => {
    const id = await spawnWaiting(
      "stty -echo; printf 'pw: '; read x; stty echo; echo; echo \"got:$x\"",
      "pw: ",
    );
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "secret\n",
      patterns: ["secret"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    expect(r.text).toContain("got:secret");
  });

  it("a raw-mode program that does not echo: its answer to a key is matched", async () => {
    const id = await spawnWaiting(
      "stty raw -echo; printf 'ready\\n'; k=$(head -c 1); printf 'key=%s\\n' \"$k\"; stty sane",
      "ready",
    );
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "q",
      patterns: ["key=q"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
  });

  it("tmux backend: the echo is skipped there too", async () => {
    const id = await bash({ backend: "tmux" });
    const r = await ok(srv.client, "pty_prompt", {
      session_id: id,
      ...O,
      data: "sleep 1; echo TMUXDONE\r",
      patterns: ["TMUXDONE"],
      timeout_ms: 15000,
    });
    expect(r.matched).toBe(true);
    expect(count(r.text, "TMUXDONE"), JSON.stringify(r.text)).toBe(2);
    await ok(srv.client, "pty_close", { session_id: id, ...O });
  });

  it("PTY_MCP_ECHO_FILTER=0 restores matching on the echo", async () => {
    const plain = await startPty({ PTY_MCP_ECHO_FILTER: "0" });
    try {
      const id = text(await call(plain.client, "pty_spawn", { ...O, command: "cat" }));
      const r = await ok(plain.client, "pty_prompt", {
        session_id: id,
        ...O,
        data: "ping\n",
        patterns: ["ping"],
        timeout_ms: 15000,
      });
      expect(r.text).toBe("ping");
    } finally {
      await plain.close();
    }
  });
});
