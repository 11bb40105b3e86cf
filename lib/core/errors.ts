/** Base class for errors whose message is safe to show a user as one line. */
export class McpkitError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage: unknown command or flag, wrong value. Exit 2. */
export class UsageError extends McpkitError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Missing or invalid configuration (flag, environment variable, config file). Exit 2. */
export class ConfigError extends McpkitError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A start-up step failed (preflight, boot check, bind). Carries its own exit code. */
export class StartupError extends McpkitError {}

/** A server subcommand whose implementation has not landed yet. Exit 1. */
export class NotBuiltError extends McpkitError {
  constructor(server: string) {
    super(`mcpkit ${server} is not built yet; see the README's status table`, 1);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
