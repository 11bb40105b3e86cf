import type { ServerContext as SdkContext } from "@modelcontextprotocol/server";
import type { ToolHints } from "./annotations.ts";

/**
 * What an authenticated HTTP caller may do with tools. An authentication layer (the OAuth resource
 * server of the HTTP transport) puts one on the verified `AuthInfo.extra[TOOL_ACCESS_KEY]`; the SDK
 * hands that `AuthInfo` to every request as `ctx.http.authInfo`, and the ToolRegistry reads it there to
 * filter `tools/list`, refuse calls and write audit lines. No access object (stdio, static token, no
 * auth) means no restriction.
 */
export interface ToolAccess {
  /** Who the caller is (a token's `sub`), for audit lines and tools that record an owner. */
  readonly subject: string;
  /** The OAuth client the caller used, when known. */
  readonly clientId?: string;
  /** The granted scopes, as the token listed them. */
  readonly scopes: readonly string[];
  /** The scope this caller lacks for a tool with these hints, or undefined when it may use the tool. */
  missingScope(hints: ToolHints): string | undefined;
  /** Told about every call this caller makes (after it ran or was refused). */
  audit?(entry: { tool: string; ok: boolean; refused?: string }): void;
}

/** The key of `AuthInfo.extra` that holds a ToolAccess. */
export const TOOL_ACCESS_KEY = "mcpkit.toolAccess";

/** The caller's ToolAccess from a request context, if an authentication layer attached one. */
export function toolAccessOf(ctx: Pick<SdkContext, "http"> | undefined): ToolAccess | undefined {
  const value = ctx?.http?.authInfo?.extra?.[TOOL_ACCESS_KEY];
  if (value && typeof value === "object" && typeof (value as ToolAccess).missingScope === "function") {
    return value as ToolAccess;
  }
  return undefined;
}
