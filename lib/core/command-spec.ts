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
  options: OptionSpec[];
  examples: string[];
  /** Loads the server lazily; absent while the server is not built yet. */
  load?: () => Promise<ServerModule>;
}
