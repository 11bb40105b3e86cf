import { randomBytes } from "node:crypto";
import { COMMAND_POSITION, DEFAULT_DANGEROUS_PATTERNS } from "./dangerous-patterns.ts";
import { simpleCommands } from "./shell-words.ts";

interface CompiledPattern {
  /** What we report as a match: the pattern as configured. */
  source: string;
  /** What a person is told it means (the built-in's id and description; a custom pattern's text). */
  label: string;
  re: RegExp;
  /** Also matched against the line as typed (custom patterns, as pty-mcp did; raw built-ins). */
  raw: boolean;
}

function compile(source: string, raw: boolean, label = source): CompiledPattern {
  return { source, label, re: new RegExp(source.replaceAll("{CMD}", COMMAND_POSITION), "m"), raw };
}

export class DangerousCommandDetector {
  private readonly patterns: CompiledPattern[];

  constructor(custom?: string[]) {
    this.patterns = custom
      ? custom.map((p) => compile(p, true))
      : DEFAULT_DANGEROUS_PATTERNS.map((p) =>
          compile(p.pattern, p.raw === true, `${p.id} (${p.description})`),
        );
  }

  /** Says in words what a reported match means, for a person deciding whether to allow it. */
  describe(source: string): string {
    return this.patterns.find((p) => p.source === source)?.label ?? source;
  }

  /** The patterns the command matches (empty when it is not dangerous). */
  matches(command: string): string[] {
    const commands = simpleCommands(command);
    return this.patterns
      .filter(
        (p) =>
          (p.raw && p.re.test(command)) ||
          commands.some((c) => p.re.test(c.text) || (c.program !== "" && p.re.test(c.program))),
      )
      .map((p) => p.source);
  }
}

interface TokenRecord {
  command: string;
  owner: string | null;
  scope: string | null;
  expiresAt: number;
}

/**
 * Single-use, TTL-bound confirmation tokens bound to one command, its owner and its scope. Each store
 * accepts only its own tokens; `prefix` makes them tell apart in a log or a bug report.
 */
export class ConfirmationTokens {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(
    private readonly ttlSec: number,
    private readonly prefix = "dc_",
  ) {}

  issue(command: string, owner: string | null, scope: string | null): { token: string; expiresAt: number } {
    this.sweep();
    const token = `${this.prefix}${randomBytes(16).toString("hex")}`;
    const expiresAt = Date.now() + this.ttlSec * 1000;
    this.tokens.set(token, { command: command.trim(), owner, scope, expiresAt });
    return { token, expiresAt: expiresAt / 1000 };
  }

  /** Consumes a token for this command; returns an error message when it does not fit. */
  consume(token: string, command: string, owner: string | null, scope: string): string | undefined {
    this.sweep();
    const rec = this.tokens.get(token);
    if (!rec) return "invalid or expired dangerous confirmation token";
    if (rec.command !== command.trim()) return "dangerous confirmation token does not match command";
    if (rec.owner !== null && rec.owner !== owner) return "dangerous confirmation token owner mismatch";
    if (rec.scope !== null && rec.scope !== scope) return "dangerous confirmation token scope mismatch";
    this.tokens.delete(token);
    return undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [t, r] of this.tokens) if (r.expiresAt <= now) this.tokens.delete(t);
  }
}
