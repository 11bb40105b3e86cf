import { join } from "node:path";
import { jsonSnippet, mergeJsonEntry } from "./json-config.ts";
import { type Launch, withoutEmpty } from "./launch.ts";
import { shellLine } from "./shell-quote.ts";
import { mergeTomlTable, tomlTable } from "./toml.ts";

/** Where the user's home and config folders are; passed in so tests and other OSes are explicit. */
export interface Host {
  platform: NodeJS.Platform;
  home: string;
  env: Record<string, string | undefined>;
}

/** One MCP client: where its config lives, how an entry is printed, and how it is merged into the file. */
export interface ClientDef {
  id: string;
  label: string;
  defaultPath(host: Host): string;
  /** Text for stdout: a snippet to paste, or a command to run. */
  print(name: string, launch: Launch): string;
  /** The file's new text with the entry merged in (existing is undefined for a new file). */
  merge(path: string, existing: string | undefined, name: string, launch: Launch): string;
}

type Entry = Record<string, unknown>;

function appData(host: Host): string {
  return host.env.APPDATA ?? join(host.home, "AppData", "Roaming");
}

function xdgConfig(host: Host): string {
  return host.env.XDG_CONFIG_HOME || join(host.home, ".config");
}

/** The user-level folder of a desktop app: Application Support, %APPDATA% or ~/.config. */
function appConfigDir(host: Host, app: string): string {
  if (host.platform === "darwin") return join(host.home, "Library", "Application Support", app);
  if (host.platform === "win32") return join(appData(host), app);
  return join(xdgConfig(host), app);
}

function authHeader(launch: Extract<Launch, { mode: "http" }>): string | undefined {
  return Object.entries(launch.headers).find(([k]) => /^authorization$/i.test(k))?.[1];
}

function jsonClient(
  id: string,
  label: string,
  rootKey: string,
  defaultPath: (host: Host) => string,
  entry: (launch: Launch) => Entry,
  fresh: Entry = {},
): ClientDef {
  return {
    id,
    label,
    defaultPath,
    print: (name, launch) => jsonSnippet(rootKey, name, entry(launch)),
    merge: (path, existing, name, launch) =>
      mergeJsonEntry(path, existing, rootKey, name, entry(launch), fresh),
  };
}

/** `{command, args, env}` for stdio; `remote` decides the URL form. */
function commandEntry(
  launch: Launch,
  remote: (l: Extract<Launch, { mode: "http" }>) => Entry,
  type?: string,
): Entry {
  if (launch.mode === "http") return remote(launch);
  return withoutEmpty({
    ...(type ? { type } : {}),
    command: launch.command,
    args: launch.args,
    env: launch.env,
  });
}

/**
 * Claude Desktop takes remote servers only as OAuth connectors in its settings, so a URL with a bearer
 * token goes through the usual stdio bridge; the header value sits in env because args with spaces break.
 */
function claudeDesktopRemote(launch: Extract<Launch, { mode: "http" }>): Entry {
  const auth = authHeader(launch);
  const args = ["-y", "mcp-remote", launch.url];
  // biome-ignore lint/suspicious/noTemplateCurlyInString: mcp-remote expands ${AUTH_HEADER} itself
  if (auth) args.push("--header", "Authorization:${AUTH_HEADER}");
  return withoutEmpty({ command: "npx", args, env: auth ? { AUTH_HEADER: auth } : {} });
}

function claudeCodeLine(name: string, launch: Launch): string {
  if (launch.mode === "http") {
    const words = ["claude", "mcp", "add", "--transport", "http", "--scope", "user", name, launch.url];
    for (const [k, v] of Object.entries(launch.headers)) words.push("--header", `${k}: ${v}`);
    return `${shellLine(words)}\n`;
  }
  // The name goes before --env: --env takes several values and would swallow it.
  const words = ["claude", "mcp", "add", "--scope", "user", name];
  for (const [k, v] of Object.entries(launch.env)) words.push("--env", `${k}=${v}`);
  return `${shellLine([...words, "--", launch.command, ...launch.args])}\n`;
}

function codexBlock(name: string, launch: Launch): string {
  if (launch.mode === "http") {
    return tomlTable(["mcp_servers", name], { url: launch.url }, { http_headers: launch.headers });
  }
  return tomlTable(
    ["mcp_servers", name],
    { command: launch.command, args: launch.args },
    { env: launch.env },
  );
}

function opencodeEntry(launch: Launch): Entry {
  if (launch.mode === "http") {
    return withoutEmpty({ type: "remote", url: launch.url, headers: launch.headers, enabled: true });
  }
  return withoutEmpty({
    type: "local",
    command: [launch.command, ...launch.args],
    environment: launch.env,
    enabled: true,
  });
}

export const CLIENTS: readonly ClientDef[] = [
  jsonClient(
    "claude-desktop",
    "Claude Desktop",
    "mcpServers",
    (h) => join(appConfigDir(h, "Claude"), "claude_desktop_config.json"),
    (l) => commandEntry(l, claudeDesktopRemote),
  ),
  {
    id: "claude-code",
    label: "Claude Code",
    defaultPath: (h) => join(h.home, ".claude.json"),
    print: claudeCodeLine,
    merge: (path, existing, name, launch) =>
      mergeJsonEntry(
        path,
        existing,
        "mcpServers",
        name,
        commandEntry(launch, (l) => withoutEmpty({ type: "http", url: l.url, headers: l.headers }), "stdio"),
      ),
  },
  {
    id: "codex",
    label: "Codex CLI",
    defaultPath: (h) => join(h.env.CODEX_HOME || join(h.home, ".codex"), "config.toml"),
    print: codexBlock,
    merge: (path, existing, name, launch) =>
      mergeTomlTable(path, existing, "mcp_servers", name, codexBlock(name, launch)),
  },
  jsonClient(
    "cursor",
    "Cursor",
    "mcpServers",
    (h) => join(h.home, ".cursor", "mcp.json"),
    (l) => commandEntry(l, (r) => withoutEmpty({ url: r.url, headers: r.headers })),
  ),
  jsonClient(
    "vscode",
    "VS Code",
    "servers",
    (h) => join(appConfigDir(h, "Code"), "User", "mcp.json"),
    (l) => commandEntry(l, (r) => withoutEmpty({ type: "http", url: r.url, headers: r.headers }), "stdio"),
  ),
  jsonClient(
    "opencode",
    "OpenCode",
    "mcp",
    (h) => h.env.OPENCODE_CONFIG || join(xdgConfig(h), "opencode", "opencode.json"),
    opencodeEntry,
    { $schema: "https://opencode.ai/config.json" },
  ),
  jsonClient(
    "gemini",
    "Gemini CLI",
    "mcpServers",
    (h) => join(h.home, ".gemini", "settings.json"),
    (l) => commandEntry(l, (r) => withoutEmpty({ type: "http", url: r.url, headers: r.headers })),
  ),
];

export const CLIENT_IDS = CLIENTS.map((c) => c.id);

export function clientById(id: string): ClientDef | undefined {
  return CLIENTS.find((c) => c.id === id);
}
