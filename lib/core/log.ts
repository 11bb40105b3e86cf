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
  /**
   * Threshold for the extra sinks (log files); defaults to `level`. Lets a stdio server keep stderr quiet
   * (clients file every stderr line as an error) while its log file still gets the routine lines.
   */
  sinkLevel?: LogLevel;
  format?: "text" | "json";
  scope?: string;
  /** Where lines go; stderr by default (stdout belongs to the stdio transport). */
  write?: (line: string) => void;
}

/** A line as a log sink receives it: already redacted, always in the text format. */
export interface LogRecord {
  time: string;
  level: Exclude<LogLevel, "silent">;
  /** `[scope] level: msg {fields}` */
  text: string;
}

const sinks = new Set<(record: LogRecord) => void>();

/**
 * Adds a second destination for every logger's lines (that pass the logger's level), e.g. a log file.
 * Returns the function that removes it.
 */
export function addLogSink(sink: (record: LogRecord) => void): () => void {
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/**
 * Makes a logger. A server never makes its own: the CLI makes the one logger of a run from the shared
 * `--log-level`/`--log-format` settings and their variables (lib/cli/run-server.ts) and hands it over as
 * `ctx.log`; parts of a server take `child(scope)` of it.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? "info";
  const sinkLevel = opts.sinkLevel ?? level;
  const format = opts.format ?? "text";
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scope = opts.scope ?? "mcpkit";

  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const toStderr = ORDER[lvl] >= ORDER[level];
    const toSinks = sinks.size > 0 && ORDER[lvl] >= ORDER[sinkLevel];
    if (!toStderr && !toSinks) return;
    const time = new Date().toISOString();
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
    const text = `[${scope}] ${lvl}: ${msg}${extra}`;
    if (toStderr) {
      const line = format === "json" ? JSON.stringify({ time, level: lvl, scope, msg, ...fields }) : text;
      write(redactor.redact(line));
    }
    if (toSinks) {
      const record: LogRecord = { time, level: lvl as LogRecord["level"], text: redactor.redact(text) };
      for (const sink of sinks) sink(record);
    }
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
