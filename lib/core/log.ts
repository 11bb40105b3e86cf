import { redactor } from "./redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: "text" | "json";
  scope?: string;
  /** Where lines go; stderr by default (stdout belongs to the stdio transport). */
  write?: (line: string) => void;
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel = "info"): LogLevel {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "warning") return "warn";
  if (v === "critical" || v === "fatal") return "error";
  return v in ORDER ? (v as LogLevel) : fallback;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? "info";
  const format = opts.format ?? "text";
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scope = opts.scope ?? "mcpkit";

  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    let line: string;
    if (format === "json") {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, scope, msg, ...fields });
    } else {
      const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
      line = `[${scope}] ${lvl}: ${msg}${extra}`;
    }
    write(redactor.redact(line));
  };

  return {
    level,
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (child) => createLogger({ ...opts, scope: `${scope}:${child}` }),
  };
}
