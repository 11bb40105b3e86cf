import type { CallToolResult } from "@modelcontextprotocol/server";

/** A tool as a downstream server reports it, before namespacing. */
export interface DownstreamTool {
  /** Configured server name (e.g. "financial-data"). */
  server: string;
  /** Tool name as the server reports it (e.g. "get-data"). */
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

/** Connection state of one downstream server, as `server_status()` reports it. */
export interface ServerState {
  name: string;
  connected: boolean;
  tools: number;
  /** Why it is down (last connect or transport error), when it is. */
  error?: string;
}

export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** The downstream's progress notifications for this call (either protocol era). */
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/**
 * Everything ptc needs from the MCP client side: the tools of connected servers, their states, and a way
 * to call one. `lib/upstream`'s pool is adapted to this (upstream-source.ts); tests and the gateway can
 * hand in their own.
 */
export interface ToolSource {
  tools(): DownstreamTool[];
  servers(): ServerState[];
  call(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    opts: CallOptions,
  ): Promise<CallToolResult>;
  /** Subscribes to tool-list changes (reconnects, list_changed); returns the unsubscribe function. */
  onToolsChanged?(listener: () => void): () => void;
}

/** A tool callable from a script: the namespaced name plus where it goes. */
export interface CallableTool {
  /** `mcp__<server>__<tool>` with every character outside [A-Za-z0-9_] replaced by `_`. */
  name: string;
  /** `mcp__<server>__<tool>` exactly as Claude Code spells it (hyphens kept). */
  exactName: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export type TraceMode = "summary" | "off";
export type SandboxMode = "auto" | "seatbelt" | "bwrap" | "none";

/** execution: section of config.yaml, resolved. */
export interface ExecutionLimits {
  timeoutSeconds: number;
  maxOutputBytes: number;
  maxToolCalls: number;
  maxConcurrentCalls: number;
  toolCallTimeoutSeconds: number;
  trace: TraceMode;
  maxToolResultBytes: number;
  sandbox: SandboxMode;
  memoryLimitMb: number;
  /** Python interpreter for language: "python". */
  python: string;
}

/** One tool call a script made, as reported in structuredContent.tool_calls. */
export interface TraceEntry {
  tool: string;
  /** The arguments as JSON, cut to 200 characters. */
  args: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Why a run failed, so budgets and causes can be told apart. */
export type FailureKind =
  | "syntax"
  | "runtime"
  | "timeout"
  | "memory"
  | "stack"
  | "cancelled"
  | "engine"
  | "unavailable";

/** What an engine hands back after one run. */
export interface EngineOutcome {
  ok: boolean;
  /** Captured console/print output, already capped to max_output_bytes. */
  output: string;
  outputTruncated: boolean;
  hasResult: boolean;
  result?: unknown;
  /** The error text shown after `[Script execution failed]`. */
  error?: string;
  errorKind?: FailureKind;
}

/** The value a tool call hands back into a script, or the error it raises there. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: string; code: string };
