import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { addLogSink, type LogRecord } from "../../core/log.ts";

export function logFilePath(stateDir: string): string {
  return join(stateDir, "logs", "gateway.log");
}

/**
 * One log file line: `<ISO time> <pid> [scope] level: message {fields}`. The pid tells apart the
 * gateways that share the file (every stdio client runs its own).
 */
export function formatLogLine(record: LogRecord, pid = process.pid): string {
  return `${record.time} ${pid} ${record.text.replace(/\r?\n/g, "\\n")}\n`;
}

export interface ParsedLogLine {
  time: string;
  pid: number;
  scope: string;
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

const LINE = /^(\S+) (\d+) \[([^\]]*)\] (debug|info|warn|error): (.*)$/;

/** Parses a line written by `formatLogLine`; undefined for anything else. */
export function parseLogLine(line: string): ParsedLogLine | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  let msg = m[5]!;
  let fields: Record<string, unknown> | undefined;
  // The fields are the JSON object at the end; the message itself may contain " {".
  for (let at = msg.indexOf(" {"); at >= 0 && msg.endsWith("}"); at = msg.indexOf(" {", at + 1)) {
    try {
      fields = JSON.parse(msg.slice(at + 1)) as Record<string, unknown>;
      msg = msg.slice(0, at);
      break;
    } catch {
      fields = undefined;
    }
  }
  return { time: m[1]!, pid: Number(m[2]), scope: m[3]!, level: m[4]!, msg, ...(fields ? { fields } : {}) };
}

/**
 * Appends every log line of this process (already redacted by the logger) to `path`, rotating it to
 * `path.1` past `maxBytes`. Each line opens the file by name, so gateways sharing it follow a rotation
 * done by another. A write failure turns the sink off (logging never breaks the gateway). Returns the
 * function that stops it.
 */
export function startLogFile(path: string, maxBytes: number, onError: (err: unknown) => void): () => void {
  try {
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  } catch (err) {
    onError(err);
    return () => {};
  }
  let remove: () => void = () => {};
  const sink = (record: LogRecord) => {
    const line = formatLogLine(record);
    let fd: number | undefined;
    try {
      fd = openSync(path, "a", 0o600);
      if (fstatSync(fd).size + line.length > maxBytes) {
        closeSync(fd);
        fd = undefined;
        renameSync(path, `${path}.1`);
        fd = openSync(path, "a", 0o600);
      }
      writeSync(fd, line);
    } catch (err) {
      remove();
      onError(err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
  remove = addLogSink(sink);
  return remove;
}
