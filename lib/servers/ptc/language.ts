import { ConfigError } from "../../core/errors.ts";

export const LANGUAGES = ["javascript", "typescript", "python"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The names PTC-MCP users start it by: under these, scripts are Python unless told otherwise, as there. */
const PYTHON_FIRST_NAMES = new Set(["ptc-mcp"]);

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Checks one configured language value; `where` names the flag, variable or key in the message. */
export function parseLanguage(value: unknown, where: string): Language {
  const v = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (v === "js") return "javascript";
  if (v === "ts") return "typescript";
  if (v === "py") return "python";
  if (!isLanguage(v)) {
    throw new ConfigError(
      `${where} must be one of javascript, typescript, python (got ${JSON.stringify(value)})`,
    );
  }
  return v;
}

/**
 * The language execute_program uses when a call names none. First the flag or PTC_MCP_DEFAULT_LANGUAGE,
 * then config.yaml's execution.default_language, then the name the server was started by: `ptc-mcp`
 * runs Python like PTC-MCP, `mcpkit ptc` runs JavaScript.
 */
export function resolveDefaultLanguage(opts: {
  flag?: unknown;
  configured?: Language;
  invokedAs?: string;
}): Language {
  if (opts.flag !== undefined && opts.flag !== null && String(opts.flag).trim() !== "") {
    return parseLanguage(opts.flag, "--default-language (PTC_MCP_DEFAULT_LANGUAGE)");
  }
  if (opts.configured) return opts.configured;
  return opts.invokedAs && PYTHON_FIRST_NAMES.has(opts.invokedAs) ? "python" : "javascript";
}

// Lines that are Python and cannot start a JavaScript statement: block headers ending in a colon,
// imports, f-strings, `print x`-era and keyword forms JavaScript lacks.
const PYTHON_LINE = [
  /^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*(#.*)?$/,
  /^\s*class\s+\w+(\(.*\))?\s*:\s*(#.*)?$/,
  /^\s*(el)?if\s+.+:\s*(#.*)?$/,
  /^\s*else\s*:\s*(#.*)?$/,
  /^\s*(async\s+)?for\s+[\w\s,()]+\s+in\s+.+:\s*(#.*)?$/,
  /^\s*while\s+.+:\s*(#.*)?$/,
  /^\s*try\s*:\s*(#.*)?$/,
  /^\s*(except(\s+.+)?|finally)\s*:\s*(#.*)?$/,
  /^\s*(async\s+)?with\s+.+:\s*(#.*)?$/,
  /^\s*import\s+[\w.]+(\s+as\s+\w+)?(\s*,\s*[\w.]+)*\s*(#.*)?$/,
  /^\s*from\s+[\w.]+\s+import\s+/,
  /\bf"[^"]*\{[^}]*\}[^"]*"|\bf'[^']*\{[^}]*\}[^']*'/,
  /^\s*\w+(\s*,\s*\w+)*\s*=\s*await\s+mcp__\w+\(\s*\w+\s*=/,
  /^\s*#(\s|$)/,
  /^\s*(pass|raise\s+\w+.*|print\s+[^(=].*)\s*$/,
];

/**
 * True when a program that failed to compile as JavaScript reads like Python. Only asked after a syntax
 * error, so a false positive costs one extra line of advice, never a wrong run.
 */
export function looksLikePython(code: string): boolean {
  return code
    .split("\n")
    .some((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && PYTHON_LINE.some((re) => re.test(line)));
}

/** Appended to a JavaScript syntax error when the program reads like Python. */
export function pythonHint(defaultLanguage: Language): string {
  const how =
    defaultLanguage === "python"
      ? 'this call asked for JavaScript; leave out "language" or pass language: "python"'
      : 'pass language: "python" to execute_program (or start the server with --default-language python)';
  return `Hint: this program looks like Python, but it ran as JavaScript; ${how}.`;
}
