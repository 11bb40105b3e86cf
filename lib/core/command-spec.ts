import type { ServerModule } from "./app.ts";
import type { Logger } from "./log.ts";
import type { SettingsSpec } from "./settings/declare.ts";
import type { SharedKey } from "./settings/shared.ts";

/**
 * One command-line flag as data (a subcommand's own flags; `--help` is generated from it). A server's
 * settings are declared with lib/core/settings instead (flag, variables, default, schema in one place).
 */
export interface OptionSpec {
  /** Commander-style flags, e.g. "--read-only", "--tools <names>", "--no-color". */
  flags: string;
  description: string;
  /** Environment variable that supplies the value when the flag is absent (shown in --help). */
  env?: string;
  default?: string | boolean;
  choices?: string[];
}

/**
 * What changes when a server is started through one of its aliases (a link named `pmcp`, `mcpkit pmcp`,
 * the npm bin `pmcp`): the original's defaults, its environment variables and its short flags. Explicit
 * flags and the usual environment variables still win; this only replaces the defaults.
 */
export interface AliasProfile {
  /** Setting defaults under this name (keys of the settings, e.g. `{ toolNames: "dotted" }`). */
  defaults?: Record<string, string | boolean | number>;
  /**
   * Variables read when neither the flag nor the setting's own variables are set: setting key →
   * variable name(s) (e.g. `{ port: "PMCP_PORT" }`). Values go through the setting's own schema.
   */
  env?: Record<string, string | readonly string[]>;
  /** Short flags under this name: short → long (`{ "-p": "--project" }`); another owner of the short loses it. */
  shortFlags?: Record<string, string>;
  /** Flags only this name has, e.g. the original's `--debug`; `implies` sets other options' values. */
  extraOptions?: Array<OptionSpec & { implies?: Record<string, string | boolean | number> }>;
  /** Subcommand option defaults under this name: subcommand → option key → value. */
  subcommandDefaults?: Record<string, Record<string, string | boolean>>;
}

/** An environment variable a server cannot start without; `setup` writes it into client configs. */
export interface RequiredEnvSpec {
  name: string;
  /** What to put there, for hints: "the PTM backend URL, e.g. https://ptm.example.com". */
  description: string;
  /** A credential: never printed, and referenced rather than copied where the client can. */
  secret?: boolean;
}

/** A server subcommand: what the command table needs without loading the server's code. */
export interface ServerCommandSpec<S extends SettingsSpec = SettingsSpec> {
  name: string;
  /** Names the binary answers to when invoked through a link (argv0), e.g. "pty-mcp". */
  aliases: string[];
  summary: string;
  /** Extra paragraphs for `mcpkit <server> --help`. */
  description?: string;
  /** Port for --transport http|sse when --port is not given. */
  defaultPort: number;
  /** Environment variables (besides MCPKIT_AUTH_TOKEN) that supply the bearer token. */
  authTokenEnv: string[];
  /**
   * The server's settings, declared once (lib/core/settings): they make its flags and --help, resolve
   * into `ctx.config`, and make the settings table of its README (`npx tsx scripts/settings-tables.ts`).
   */
  settings?: S;
  /** The original's variables for shared settings, read after mcpkit's (`{ logLevel: ["PTY_MCP_LOG"] }`). */
  sharedEnv?: Partial<Record<SharedKey, readonly string[]>>;
  /** Exit code for a missing or bad value of the server's own variables (ptm-mcp's contract: 1); default 2. */
  configExitCode?: number;
  /** Wraps the one-line message of such an error (trueppm-mcp's `Configuration error: … .`). */
  formatConfigError?: (message: string) => string;
  /**
   * Variables the server needs to start, for `setup` hints; by default the required settings that have a
   * variable (see requiredVariables in lib/cli/setup).
   */
  requiredEnv?: RequiredEnvSpec[];
  /** Flags declared the old way; each becomes a text, choice or switch setting. Prefer `settings`. */
  options?: OptionSpec[];
  examples: string[];
  /** Loads the server lazily; absent while the server is not built yet. */
  load?: () => Promise<ServerModule>;
  /** Commands beside serving (`mcpkit gateway status`); without one, the command serves as before. */
  subcommands?: SubcommandSpec[];
  /** Defaults that apply when started through an alias (key: the alias). */
  aliasProfiles?: Record<string, AliasProfile>;
}

/** What a subcommand's code gets: its positional arguments and the merged flags (its own and its server's). */
export interface SubcommandContext {
  /** The name the server command was reached through: its own (`gateway`) or an alias (`pmcp`). */
  invokedAs: string;
  args: string[];
  /**
   * camelCase values: the subcommand's own flags plus the server command's settings as resolved (flags,
   * variables, defaults; e.g. project, config, port).
   */
  options: Record<string, unknown>;
  /** The server's own settings as resolved (what the server would get as `ctx.config`). */
  config: Record<string, unknown>;
  /** The logger the CLI set up from --log-level/--log-format and their variables (default level warn). */
  log: Logger;
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdin is a terminal (interactive use). */
  stdinIsTTY: boolean;
  readStdin: () => Promise<string>;
}

export interface SubcommandModule {
  /** Runs the subcommand and returns the exit code. */
  run(ctx: SubcommandContext): Promise<number>;
}

/** A subcommand of a server command (`mcpkit gateway status`), as data; its code loads when it runs. */
export interface SubcommandSpec {
  name: string;
  summary: string;
  description?: string;
  /** Commander-style positional arguments: "<name>" required, "[name]" optional. */
  arguments?: Array<{ name: string; description: string }>;
  options?: OptionSpec[];
  examples?: string[];
  /** Nested subcommands (`secrets set`); a spec with these and no `load` only groups them. */
  subcommands?: SubcommandSpec[];
  load?: () => Promise<SubcommandModule>;
}
