import type { McpServer } from "@modelcontextprotocol/server";
import type { ProtocolSetting } from "./protocol.ts";

/** Fields every upstream spec may carry, whatever its transport. */
export interface UpstreamCommon {
  /** Server name, unique within a pool; used in every error message about it. */
  name: string;
  /** Connect only on first use instead of at `startAll()`. */
  lazy?: boolean;
  /** How long `connect()` may take (spawn + initialize). Default 30 s. */
  connectTimeoutMs?: number;
  /** Default per-call timeout for `callTool`. Default 60 s. */
  callTimeoutMs?: number;
  /** The config file this spec came from, for error messages. */
  source?: string;
  /** Protocol era to speak: "2025" (plain initialize, the default), "2026" or "auto" (see protocol.ts). */
  protocol?: ProtocolSetting;
}

export interface StdioSpec extends UpstreamCommon {
  transport: "stdio";
  command: string;
  args: string[];
  /** The child's own variables, added to a safe base environment (see child-env.ts). */
  env: Record<string, string>;
  cwd?: string;
}

export interface RemoteSpec extends UpstreamCommon {
  /** "http" is Streamable HTTP; "sse" is the legacy HTTP+SSE transport. */
  transport: "http" | "sse";
  url: string;
  headers: Record<string, string>;
}

export interface MemorySpec extends UpstreamCommon {
  transport: "memory";
  /** Builds a fresh server for each (re)connect; used to mount built-in servers in-process. */
  create: () => McpServer | Promise<McpServer>;
}

export type UpstreamSpec = StdioSpec | RemoteSpec | MemorySpec;

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
