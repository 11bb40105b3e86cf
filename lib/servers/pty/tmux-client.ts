import { execFile } from "node:child_process";

/** Runs tmux against our private socket (never the user's default server, never their config). */
export class TmuxClient {
  constructor(
    readonly bin: string,
    readonly socket: string,
  ) {}

  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        ["-S", this.socket, "-f", "/dev/null", ...args],
        { maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`tmux ${args[0]}: ${(stderr || err.message).trim()}`));
          else resolve(stdout);
        },
      );
    });
  }

  /** Like run, but a failure (no server, no such pane) yields undefined. */
  async tryRun(args: string[]): Promise<string | undefined> {
    try {
      return await this.run(args);
    } catch {
      return undefined;
    }
  }

  static available(bin: string): Promise<boolean> {
    return new Promise((resolve) => {
      execFile(bin, ["-V"], (err) => resolve(!err));
    });
  }
}
