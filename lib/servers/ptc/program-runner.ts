import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ToolCatalog } from "./catalog.ts";
import { CallDispatcher } from "./dispatcher.ts";
import type { PythonEngine } from "./engine/python-runner.ts";
import type { QuickJSEngine, ScriptHost } from "./engine/quickjs-runner.ts";
import { TypeScriptSyntaxError } from "./engine/ts-syntax-error.ts";
import { formatRun } from "./format-result.ts";
import { describeTool, serverStatus } from "./inspect.ts";
import { type Language, looksLikePython, pythonHint } from "./language.ts";
import { rankTools } from "./search.ts";
import type { EngineOutcome, ExecutionLimits } from "./types.ts";

export type { Language } from "./language.ts";

export interface ProgramRequest {
  code: string;
  language?: Language;
  /** Capped by execution.timeout_seconds. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Told what the program's tool calls are doing (downstream progress, calls finished). */
  onProgress?: (message: string) => void;
}

/** Runs one execute_program request: engine by language, a dispatcher for its tool calls, the report. */
export class ProgramRunner {
  constructor(
    private readonly catalog: ToolCatalog,
    private readonly limits: ExecutionLimits,
    private readonly js: QuickJSEngine,
    private readonly python: PythonEngine,
    /** What a request without `language` runs as. */
    readonly defaultLanguage: Language = "javascript",
  ) {}

  async execute(req: ProgramRequest): Promise<CallToolResult> {
    const started = performance.now();
    const tools = this.catalog.tools();
    const ended = new AbortController();
    const dispatcher = new CallDispatcher(
      tools,
      this.catalog.source,
      this.limits,
      ended.signal,
      req.onProgress,
    );
    const host: ScriptHost = {
      toolNames: [...tools.values()].map((t) => [t.name, t.exactName]),
      call: (name, args) => dispatcher.call(name, args),
      listTools: (query) =>
        query.trim() ? rankTools([...this.catalog.tools().values()], query) : this.catalog.names(),
      inspect: (name) => {
        const tool = this.catalog.get(name);
        return tool ? describeTool(tool) : null;
      },
      status: () => serverStatus(this.catalog),
    };
    const timeoutSeconds = Math.min(
      req.timeoutSeconds ?? this.limits.timeoutSeconds,
      this.limits.timeoutSeconds,
    );
    const common = {
      timeoutSeconds,
      maxOutputBytes: this.limits.maxOutputBytes,
      memoryLimitBytes: this.limits.memoryLimitMb * 1024 * 1024,
      ...(req.signal ? { signal: req.signal } : {}),
    };
    let outcome: EngineOutcome;
    const language = req.language ?? this.defaultLanguage;
    try {
      if (language === "python") {
        outcome = await this.python.run({ ...common, code: req.code }, host);
      } else {
        // sucrase is loaded on first use: it is the largest part of ptc's start-up otherwise.
        const code =
          language === "typescript" ? (await import("./engine/ts-strip.ts")).stripTypes(req.code) : req.code;
        outcome = await this.js.run({ ...common, code }, host);
      }
    } catch (err) {
      if (!(err instanceof TypeScriptSyntaxError)) throw err;
      const where = err.line ? ` (line ${err.line}${err.column ? `, column ${err.column}` : ""})` : "";
      const src = err.line ? req.code.split("\n")[err.line - 1] : undefined;
      outcome = {
        ok: false,
        output: "",
        outputTruncated: false,
        hasResult: false,
        errorKind: "syntax",
        error: `SyntaxError: ${err.message}${where}${src !== undefined ? `\n  ${err.line} | ${src.trimEnd()}` : ""}`,
      };
    } finally {
      // Calls still in flight when the program ended are cancelled downstream.
      ended.abort();
    }
    if (
      !outcome.ok &&
      outcome.errorKind === "syntax" &&
      language !== "python" &&
      outcome.error &&
      looksLikePython(req.code)
    ) {
      outcome = { ...outcome, error: `${outcome.error}\n${pythonHint(this.defaultLanguage)}` };
    }
    return formatRun(outcome, dispatcher.trace, this.limits, performance.now() - started);
  }
}
