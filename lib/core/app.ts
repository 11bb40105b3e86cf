import type { McpServer, ServerEventBus } from "@modelcontextprotocol/server";
import type { Logger } from "./log.ts";
import type { ToolCall } from "./tools/define-tool.ts";
import type { AnyTool } from "./tools/tool-registry.ts";

/** How the process talks to its MCP client. */
export type TransportKind = "stdio" | "http" | "sse";

/** What the CLI hands a server module when it starts it. */
export interface ServerContext {
  /**
   * The server's settings, resolved once by the CLI from flags, variables and defaults (declared in its
   * `settings`; read them with serverSettings from lib/core/settings/server-config.ts for their types).
   */
  config?: Record<string, unknown>;
  /**
   * Flag values by setting key, for hosts that start a server without the CLI (tests, in-process
   * mounting): without `config`, serverSettings resolves them with `env`. The CLI passes the resolved
   * values here too, so code written before settings existed (`ctx.options.x`) still sees them; new code
   * reads `config`.
   */
  options?: Record<string, unknown>;
  /** The environment: to pass on to children, and to resolve settings from when `config` is absent. */
  env: Record<string, string | undefined>;
  log: Logger;
  /** mcpkit's version, for server info and user agents. */
  version: string;
  transport: TransportKind;
  /** The name the server was started through: its own (`gateway`) or an alias (`pmcp`). */
  invokedAs?: string;
  /** Factories of the built-in servers, for servers that mount others in-process (gateway). */
  builtins?: Record<string, () => Promise<ServerModule>>;
}

/**
 * What a host adds to every server instance it serves (the conformance fixtures of `npm run
 * conformance`); the production CLI passes none.
 */
export interface ServerExtensions {
  /** Tools listed after the server's own (pass them to `ToolRegistry.install`); handlers get the bare call. */
  tools?: readonly AnyTool<ToolCall>[];
  /** Registers resources and prompts on the instance before it connects. */
  register?(server: McpServer): void;
}

/**
 * A running server application. Shared state (PTY sessions, upstream connections, HTTP clients) lives
 * here; `createServer` makes one McpServer per client session on top of it.
 */
export interface ServerApp {
  createServer(extensions?: ServerExtensions): McpServer;
  /** Stops everything the app started: children, PTYs, downstream connections, timers. Idempotent. */
  close(): Promise<void>;
  /** Told the URL once an http/sse transport listens (with --port 0, the port picked). */
  listening?(url: string): void;
  /**
   * Where the app publishes list changes for 2026-07-28 clients of the stateless HTTP transport (their
   * `subscriptions/listen` streams outlive every per-request instance); the transport hands it to
   * `createMcpHandler`. Sessions and stdio connections are told through their own instance instead.
   */
  events?: ServerEventBus;
}

/** The shape every `lib/servers/<name>/index.ts` exports. */
export interface ServerModule {
  /**
   * Validates configuration, runs any preflight, and returns the app. Throws ConfigError (exit 2) or
   * StartupError (its own exit code) with a one-line, secret-free message when it cannot start.
   */
  start(ctx: ServerContext): Promise<ServerApp>;
}
