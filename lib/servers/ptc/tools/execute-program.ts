import { z } from "zod";
import { LANGUAGES, type Language } from "../language.ts";
import { ptcTool } from "./context.ts";

const PURPOSE =
  "Runs a program that calls the tools listed by list_callable_tools and returns only what it prints (and its result). Use it when a task needs 3+ tool calls, loops, filtering, aggregation or conditional logic; for a single call, call the tool directly. Intermediate tool results stay inside the program.";

const LIMITS =
  "Limits: a deadline for the whole program, a per-call timeout, a call budget, memory and output caps; each reports its own error.";

function javascriptText(isDefault: boolean): string {
  return `JavaScript${isDefault ? " (default)" : ' (language: "javascript")'} or TypeScript runs in a QuickJS sandbox: no filesystem, network, process or environment. Tools are async functions taking one object: \`const r = await mcp__server__tool({ key: "value" })\` (also \`tools["mcp__server__tool"](...)\`); run calls concurrently with \`await Promise.all([...])\`. Results are parsed JSON (server notes under \`_notes\`); a failed call throws \`ToolError\` (catchable). Use \`console.log()\` for output; \`emit(value)\`, \`return value\` or the last expression becomes the result. Helpers: \`list_callable_tools(query?)\`, \`inspect_tool(name)\`, \`server_status()\`, \`sleep(ms)\`.`;
}

function pythonText(isDefault: boolean): string {
  return `Python${isDefault ? " (default)" : ' (language: "python")'} runs in a separate python3 process with keyword arguments: \`r = await mcp__server__tool(key="value")\`, \`asyncio.gather\`, \`print()\`, \`emit()\`, \`ToolError\`.`;
}

/** The tool description, with the server's default language first. */
export function executeProgramDescription(defaultLanguage: Language): string {
  const python = defaultLanguage === "python";
  const parts = python
    ? [pythonText(true), javascriptText(false)]
    : [javascriptText(defaultLanguage === "javascript"), pythonText(false)];
  return [PURPOSE, ...parts, LIMITS].join("\n\n");
}

/** execute_program for a server whose programs default to `defaultLanguage` (its text says which). */
export function executeProgramTool(defaultLanguage: Language) {
  return ptcTool({
    name: "execute_program",
    title: "Execute a program that calls tools",
    description: executeProgramDescription(defaultLanguage),
    input: z
      .object({
        code: z
          .string()
          .describe(
            "The program. MCP tools are available as async functions using their namespaced names (e.g., mcp__financial_data__query_financials). Use `await` for all tool calls. Use console.log() (JavaScript) or print() (Python) to produce output.",
          ),
        language: z
          .enum(LANGUAGES)
          .optional()
          .describe(
            `javascript, typescript (types are stripped, not checked) or python; default ${defaultLanguage}`,
          ),
        timeout_seconds: z
          .number()
          .positive()
          .optional()
          .describe("Deadline for the whole program; capped by the server's execution.timeout_seconds"),
      })
      .strict(),
    output: z.object({
      ok: z.boolean(),
      output: z.string(),
      result: z.unknown(),
      error: z.string().nullable(),
      error_kind: z.string().nullable(),
      output_truncated: z.boolean(),
      result_truncated: z.boolean(),
      tool_calls: z.array(
        z.object({
          tool: z.string(),
          args: z.string(),
          ok: z.boolean(),
          ms: z.number(),
          error: z.string().optional(),
        }),
      ),
      duration_ms: z.number(),
    }),
    hints: ["openDestructive", { idempotentHint: false }],
    handler: ({ code, language, timeout_seconds }, { runner, call }) => {
      // With a progress token, each downstream progress notification and each finished tool call is one
      // step (the count only grows, as MCP requires); without one, nothing is sent.
      let step = 0;
      return runner.execute({
        code,
        ...(language ? { language } : {}),
        ...(timeout_seconds ? { timeoutSeconds: timeout_seconds } : {}),
        signal: call.signal,
        ...(call.wantsProgress
          ? { onProgress: (message: string) => call.progress(++step, undefined, message) }
          : {}),
      });
    },
  });
}
