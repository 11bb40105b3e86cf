import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import type { SubcommandContext } from "../../../core/command-spec.ts";
import { lockDir } from "../instance-lock.ts";
import { logFilePath, parseLogLine } from "../log-file.ts";
import { str } from "./output.ts";

const LEVELS = ["debug", "info", "warn", "error"];

/**
 * `mcpkit gateway logs`: the last lines of `<state dir>/logs/gateway.log` (and of gateway.log.1 when the
 * file was just rotated), optionally filtered by level, as text or JSON lines; --follow keeps printing
 * new lines (following a rotation) until Ctrl-C.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const o = ctx.options;
  const path = logFilePath(lockDir(ctx.env, o.lockDir));
  const tail = Number(o.tail ?? 100);
  if (!Number.isInteger(tail) || tail < 0) {
    ctx.stderr("mcpkit: --tail takes a line count (0 or more)\n");
    return 2;
  }
  const min = LEVELS.indexOf(str(o.level) ?? "debug");
  if (!existsSync(path)) {
    ctx.stderr(
      `mcpkit: no gateway log at ${path}: a serving gateway (any transport) appends its log there; the state dir is --lock-dir / PMCP_LOCK_DIR\n`,
    );
    return 1;
  }
  const keep = (line: string) => {
    const p = parseLogLine(line);
    return p ? LEVELS.indexOf(p.level) >= min : min <= 0;
  };
  const render = (line: string) => {
    if (!o.json) return `${line}\n`;
    return `${JSON.stringify(parseLogLine(line) ?? { raw: line })}\n`;
  };
  const lines = (text: string) => text.split("\n").filter((l) => l.length > 0);
  let shown = lines(readFileSync(path, "utf8")).filter(keep);
  if (shown.length < tail && existsSync(`${path}.1`)) {
    shown = [...lines(readFileSync(`${path}.1`, "utf8")).filter(keep), ...shown];
  }
  for (const l of tail ? shown.slice(-tail) : []) ctx.stdout(render(l));
  if (!o.follow) return 0;

  let offset = statSync(path).size;
  let ino = statSync(path).ino;
  let partial = "";
  return new Promise<number>((resolve) => {
    const timer = setInterval(() => {
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path);
      } catch {
        return; // between a rotation's rename and the next line
      }
      if (st.ino !== ino || st.size < offset) {
        ino = st.ino;
        offset = 0;
        partial = "";
      }
      if (st.size <= offset) return;
      const fd = openSync(path, "r");
      try {
        const buf = Buffer.alloc(st.size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        offset = st.size;
        const text = partial + buf.toString("utf8");
        const parts = text.split("\n");
        partial = parts.pop() ?? "";
        for (const l of parts) if (l && keep(l)) ctx.stdout(render(l));
      } finally {
        closeSync(fd);
      }
    }, 200);
    process.once("SIGINT", () => {
      clearInterval(timer);
      resolve(0);
    });
  });
}
