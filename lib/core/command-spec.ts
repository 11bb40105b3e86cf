import type { ServerModule } from "./app.ts";

/** One server-specific command-line flag. Kept as data so `--help` is generated from it. */
export interface OptionSpec {
  /** Commander-style flags, e.g. "--read-only", "--tools <names>", "--no-color". */
  flags: string;
  description: string;
  /** Environment variable that supplies the value when the flag is absent (shown in --help). */
  env?: string;
  default?: string | boolean;
  choices?: string[];
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
export interface ServerCommandSpec {
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
  /** Variables the server needs to start (checked at start-up; a missing one exits at once). */
  requiredEnv?: RequiredEnvSpec[];
  options: OptionSpec[];
  examples: string[];
  /** Loads the server lazily; absent while the server is not built yet. */
  load?: () => Promise<ServerModule>;
  /** Commands beside serving (`mcpkit gateway status`); without one, the command serves as before. */
  subcommands?: SubcommandSpec[];
}

/** What a subcommand's code gets: its positional arguments and the merged flags (its own and its server's). */
export interface SubcommandContext {
  args: string[];
  /** camelCase flag values: the subcommand's own plus the server command's (e.g. --project, --config). */
  options: Record<string, unknown>;
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
