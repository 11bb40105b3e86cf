// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client configs hold literal ${VAR} references
import { join } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { jsonSnippet, mergeJsonEntry } from "./json-config.ts";
import { envWithRefs, type HttpLaunch, type Launch, withoutEmpty } from "./launch.ts";
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
  /**
   * How the entry passes a variable the server needs from the client's own environment, for the note
   * `setup` prints; undefined when the client cannot reference variables (values must be given).
   */
  forwards?: string;
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

function authHeader(launch: HttpLaunch): string | undefined {
  return Object.entries(launch.headers).find(([k]) => /^authorization$/i.test(k))?.[1];
}

function jsonClient(
  id: string,
  label: string,
  forwards: string | undefined,
  rootKey: string,
  defaultPath: (host: Host) => string,
  entry: (launch: Launch) => Entry,
  fresh: Entry = {},
): ClientDef {
  return {
    id,
    label,
    forwards,
    defaultPath,
    print: (name, launch) => jsonSnippet(rootKey, name, entry(launch)),
    merge: (path, existing, name, launch) =>
      mergeJsonEntry(path, existing, rootKey, name, entry(launch), fresh),
  };
}

/**
 * `{command, args, env}` for stdio, forwarded variables written as `reference(name)`; `remote` decides the
 * URL form.
 */
function commandEntry(
  launch: Launch,
  remote: (l: HttpLaunch) => Entry,
  reference: (name: string) => string,
  type?: string,
): Entry {
  if (launch.mode === "http") return remote(launch);
  return withoutEmpty({
    ...(type ? { type } : {}),
    command: launch.command,
    args: launch.args,
    env: envWithRefs(launch, reference),
  });
}

/** `${NAME}`: the reference Claude Code and Gemini CLI expand from their own environment. */
const dollarBraces = (name: string) => `\${${name}}`;

/** Claude Desktop expands nothing: a variable without a value is a placeholder to fill in by hand. */
const placeholder = (name: string) => `<set ${name}>`;

function refuseForwarding(label: string, launch: Launch): void {
  if (launch.mode === "stdio" && launch.forward.length)
    throw new UsageError(
      `${label} cannot read variables from its environment: give ${launch.forward.map((v) => v.name).join(" and ")} with --env NAME=VALUE to write them`,
    );
}

/**
 * Claude Desktop takes remote servers only as OAuth connectors in its settings, so a URL with a bearer
 * token goes through the usual stdio bridge; the header value sits in env because args with spaces break.
 */
function claudeDesktopRemote(launch: HttpLaunch): Entry {
  const auth = authHeader(launch);
  const args = ["-y", "mcp-remote", launch.url];
  // mcp-remote expands ${AUTH_HEADER} itself.
  if (auth) args.push("--header", "Authorization:${AUTH_HEADER}");
  return withoutEmpty({ command: "npx", args, env: auth ? { AUTH_HEADER: auth } : {} });
}

function claudeCodeLine(name: string, launch: Launch): string {
  if (launch.mode === "http") {
    const words = ["claude", "mcp", "add", "--transport", "http", "--scope", "user", name, launch.url];
    for (const [k, v] of Object.entries(launch.headers)) words.push("--header", `${k}: ${v}`);
    return `${shellLine(words)}\n`;
  }
  // The name goes before --env: --env takes several values and would swallow it. References are
  // single-quoted, so Claude Code stores `${NAME}` and expands it when it starts the server.
  const words = ["claude", "mcp", "add", "--scope", "user", name];
  for (const [k, v] of Object.entries(envWithRefs(launch, dollarBraces))) words.push("--env", `${k}=${v}`);
  return `${shellLine([...words, "--", launch.command, ...launch.args])}\n`;
}

function codexBlock(name: string, launch: Launch): string {
  if (launch.mode === "http") {
    return tomlTable(["mcp_servers", name], { url: launch.url }, { http_headers: launch.headers });
  }
  // Codex starts servers with an almost empty environment: `env_vars` names what it passes through.
  const forwarded = launch.forward.map((v) => v.name);
  return tomlTable(
    ["mcp_servers", name],
    { command: launch.command, args: launch.args, ...(forwarded.length ? { env_vars: forwarded } : {}) },
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
    environment: envWithRefs(launch, (n) => `{env:${n}}`),
    enabled: true,
  });
}

/** VS Code prompts for each forwarded variable once (a password prompt for secrets) through `inputs`. */
function vscodeInputId(entryName: string, variable: string): string {
  return `${entryName}-${variable}`.toLowerCase().replace(/_/g, "-");
}

function vscodeEntry(name: string, launch: Launch): Entry {
  return commandEntry(
    launch,
    (r) => withoutEmpty({ type: "http", url: r.url, headers: r.headers }),
    (v) => `\${input:${vscodeInputId(name, v)}}`,
    "stdio",
  );
}

function vscodeInputs(name: string, launch: Launch): Entry[] {
  if (launch.mode !== "stdio") return [];
  return launch.forward.map((v) => ({
    type: "promptString",
    id: vscodeInputId(name, v.name),
    description: `${v.name}: ${v.description}`,
    ...(v.secret ? { password: true } : {}),
  }));
}

const vscode: ClientDef = {
  id: "vscode",
  label: "VS Code",
  forwards: "an `inputs` prompt (`${input:…}`) that VS Code asks for once",
  defaultPath: (h) => join(appConfigDir(h, "Code"), "User", "mcp.json"),
  print: (name, launch) => {
    const inputs = vscodeInputs(name, launch);
    const doc = { ...(inputs.length ? { inputs } : {}), servers: { [name]: vscodeEntry(name, launch) } };
    return `${JSON.stringify(doc, null, 2)}\n`;
  },
  merge: (path, existing, name, launch) => {
    const merged = JSON.parse(
      mergeJsonEntry(path, existing, "servers", name, vscodeEntry(name, launch)),
    ) as Entry;
    const inputs = vscodeInputs(name, launch);
    if (inputs.length) {
      const current = Array.isArray(merged.inputs) ? (merged.inputs as Entry[]) : [];
      const ids = new Set(inputs.map((i) => i.id));
      merged.inputs = [...current.filter((i) => !ids.has(i?.id)), ...inputs];
    }
    return `${JSON.stringify(merged, null, 2)}\n`;
  },
};

export const CLIENTS: readonly ClientDef[] = [
  {
    ...jsonClient(
      "claude-desktop",
      "Claude Desktop",
      undefined,
      "mcpServers",
      (h) => join(appConfigDir(h, "Claude"), "claude_desktop_config.json"),
      (l) => commandEntry(l, claudeDesktopRemote, placeholder),
    ),
    merge: (path, existing, name, launch) => {
      refuseForwarding("Claude Desktop", launch);
      return mergeJsonEntry(
        path,
        existing,
        "mcpServers",
        name,
        commandEntry(launch, claudeDesktopRemote, placeholder),
      );
    },
  },
  {
    id: "claude-code",
    label: "Claude Code",
    forwards: "a `${NAME}` reference that Claude Code expands from its environment when it starts the server",
    // CLAUDE_CONFIG_DIR moves Claude Code's whole configuration, .claude.json included.
    defaultPath: (h) => join(h.env.CLAUDE_CONFIG_DIR || h.home, ".claude.json"),
    print: claudeCodeLine,
    merge: (path, existing, name, launch) =>
      mergeJsonEntry(
        path,
        existing,
        "mcpServers",
        name,
        commandEntry(
          launch,
          (l) => withoutEmpty({ type: "http", url: l.url, headers: l.headers }),
          dollarBraces,
          "stdio",
        ),
      ),
  },
  {
    id: "codex",
    label: "Codex CLI",
    forwards: "`env_vars`, which passes them through from the environment Codex runs in",
    defaultPath: (h) => join(h.env.CODEX_HOME || join(h.home, ".codex"), "config.toml"),
    print: codexBlock,
    merge: (path, existing, name, launch) =>
      mergeTomlTable(path, existing, "mcp_servers", name, codexBlock(name, launch)),
  },
  jsonClient(
    "cursor",
    "Cursor",
    "a `${env:NAME}` reference that Cursor expands from its environment",
    "mcpServers",
    (h) => join(h.home, ".cursor", "mcp.json"),
    (l) =>
      commandEntry(
        l,
        (r) => withoutEmpty({ url: r.url, headers: r.headers }),
        (n) => `\${env:${n}}`,
      ),
  ),
  vscode,
  jsonClient(
    "opencode",
    "OpenCode",
    "an `{env:NAME}` reference that OpenCode expands from its environment",
    "mcp",
    (h) => h.env.OPENCODE_CONFIG || join(xdgConfig(h), "opencode", "opencode.json"),
    opencodeEntry,
    { $schema: "https://opencode.ai/config.json" },
  ),
  jsonClient(
    "gemini",
    "Gemini CLI",
    // Listing them in `env` is also what lets a *_TOKEN variable through Gemini's secret filter.
    "a `${NAME}` reference in `env` that Gemini CLI expands from its environment",
    "mcpServers",
    (h) => join(h.home, ".gemini", "settings.json"),
    (l) =>
      commandEntry(l, (r) => withoutEmpty({ type: "http", url: r.url, headers: r.headers }), dollarBraces),
  ),
];

export const CLIENT_IDS = CLIENTS.map((c) => c.id);

export function clientById(id: string): ClientDef | undefined {
  return CLIENTS.find((c) => c.id === id);
}
