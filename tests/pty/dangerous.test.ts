// Dangerous-command detection is a superset of pty-mcp 0.2's true positives (issue #16). pty-mcp's
// built-in patterns (research/pty.md §1.7) were:
//   \brm\s+-rf\s+/$   \brm\s+-rf\s+/\b   \bmkfs\b   \bdd\s+if=/dev/zero\b   \bshutdown\b   \breboot\b   \bpoweroff\b
// Every command those flagged that actually runs the program is flagged here; the mentions they also
// flagged (echo, comments, quoted text, grep arguments, file names) are not. Checked through the real
// server's confirm_dangerous_command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { ok, startPty } from "./helpers.ts";

let srv: StdioSession;
beforeAll(async () => {
  srv = await startPty();
});
afterAll(async () => {
  await srv?.close();
});

/** [command, the pty-mcp pattern that flagged it] */
const PTY_MCP_TRUE_POSITIVES: [string, string][] = [
  ["rm -rf /", "\\brm\\s+-rf\\s+/$"],
  ["rm -rf /tmp/demo", "\\brm\\s+-rf\\s+/\\b"],
  ["rm -rf /etc", "\\brm\\s+-rf\\s+/\\b"],
  ["rm -rf /usr/lib", "\\brm\\s+-rf\\s+/\\b"],
  ["rm -rf /home/user", "\\brm\\s+-rf\\s+/\\b"],
  ["sudo rm -rf /var", "\\brm\\s+-rf\\s+/\\b"],
  ["cd /tmp && rm -rf /opt/app", "\\brm\\s+-rf\\s+/\\b"],
  ["mkfs.ext4 /dev/sdb1", "\\bmkfs\\b"],
  ["mkfs -t ext4 /dev/sdb", "\\bmkfs\\b"],
  ["sudo mkfs /dev/sdc", "\\bmkfs\\b"],
  ["dd if=/dev/zero of=/dev/sda", "\\bdd\\s+if=/dev/zero\\b"],
  ["dd if=/dev/zero of=disk.img bs=1M count=10", "\\bdd\\s+if=/dev/zero\\b"],
  ["shutdown -h now", "\\bshutdown\\b"],
  ["sudo shutdown -r now", "\\bshutdown\\b"],
  ["echo ok && shutdown now", "\\bshutdown\\b"],
  ["reboot", "\\breboot\\b"],
  ["sudo reboot", "\\breboot\\b"],
  ["ls; reboot", "\\breboot\\b"],
  ["systemctl reboot", "\\breboot\\b"],
  ["poweroff", "\\bpoweroff\\b"],
  ["systemctl poweroff", "\\bpoweroff\\b"],
];

/** Commands pty-mcp missed that act destructively (the reliability suite's list and their siblings). */
const ALSO_FLAGGED = [
  "init 0",
  "init 6",
  "telinit 0",
  "kill -9 -1",
  "kill -KILL -1",
  "kill -s KILL -1",
  "kill -- -1",
  "find / -delete",
  "find /home -name x -delete",
  "find ~ -exec rm {} +",
  "setsid reboot",
  "setsid -f rm -rf /",
  "nohup reboot &",
  "env reboot",
  "env -i PATH=/bin reboot",
  "command reboot",
  "exec reboot",
  "timeout 5 reboot",
  "timeout -s KILL 10 rm -rf /var",
  "nohup setsid timeout 10 rm -rf /data",
  "xargs reboot",
  "echo / | xargs rm -rf /tmp/x",
  'bash -c "reboot"',
  "sh -c 'rm -rf /etc'",
  'bash -c "cd /; rm -rf /srv"',
  "bash -lc 'shutdown now'",
  "su -c 'reboot'",
  "eval 'rm -rf /'",
  'echo "$(reboot)"',
  "echo `reboot`",
  "/sbin/reboot",
  "'reboot'",
  "r\\eboot",
  "nice -n 10 reboot",
  "sudo -u root rm -rf /root",
  "if true; then reboot; fi",
  "rm -fr /",
  "rm -r -f /",
  "rm -rf /*",
  "rm -rf ~",
  "rm -rf $HOME",
  "rm --recursive --force /",
  "rm -rf / --no-preserve-root",
  ":(){ :|:& };:",
  "chmod -R 777 /",
  "dd if=/dev/sda of=/dev/sdb",
  "cat /dev/zero > /dev/sda",
];

/** Mentions pty-mcp flagged (or would) where nothing destructive can run. */
const NOT_FLAGGED = [
  "echo reboot",
  'echo "rm -rf /"',
  "printf 'shutdown now\\n'",
  'echo "a; reboot"',
  "printf '%s\\n' \"kill -9 -1\"",
  "echo bash -c reboot",
  "git commit -m 'reboot the box'",
  "# reboot",
  "ls # rm -rf /",
  "grep shutdown /var/log/syslog",
  "man reboot",
  "cat /etc/shutdown.conf",
  "echo init 0",
  "kill -1 1234",
  "kill -9 1234",
  "find . -name '*.o' -delete",
  "rm -rf ./build",
  "rm -rf build/",
  "ls -la /",
];

const dangerous = async (command: string) =>
  (await ok(srv.client, "confirm_dangerous_command", { command })).dangerous as boolean;

describe("dangerous-command screen", () => {
  it("flags every command pty-mcp's built-in patterns flagged", async () => {
    for (const [command, theirs] of PTY_MCP_TRUE_POSITIVES) {
      // Sanity: the row really is a pty-mcp true positive.
      expect(new RegExp(theirs).test(command), `${command} vs ${theirs}`).toBe(true);
      expect(await dangerous(command), command).toBe(true);
    }
  });

  it("flags what pty-mcp missed: init 0, kill -9 -1, find / -delete, wrappers, shells, substitutions", async () => {
    const missed: string[] = [];
    for (const command of ALSO_FLAGGED) if (!(await dangerous(command))) missed.push(command);
    expect(missed).toEqual([]);
  });

  it("does not flag mentions: echo, printf, quoted text, comments, arguments", async () => {
    const flagged: string[] = [];
    for (const command of NOT_FLAGGED) if (await dangerous(command)) flagged.push(command);
    expect(flagged).toEqual([]);
  });

  it("the seed's own example still needs a token", async () => {
    const r = await ok(srv.client, "confirm_dangerous_command", {
      command: "rm -rf /tmp/demo",
      justification: "cleanup temp data",
      owner: "release-bot",
      scope: "admin",
    });
    expect(r).toMatchObject({ ok: true, dangerous: true });
    expect(r.confirm_token).toMatch(/^dc_[0-9a-f]{32}$/);
  });
});
