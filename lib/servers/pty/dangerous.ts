import { randomBytes } from "node:crypto";
import { COMMAND_POSITION, DEFAULT_DANGEROUS_PATTERNS } from "./dangerous-patterns.ts";

interface CompiledPattern {
  /** What we report as a match: the pattern as configured. */
  source: string;
  re: RegExp;
}

function compile(source: string): CompiledPattern {
  return { source, re: new RegExp(source.replaceAll("{CMD}", COMMAND_POSITION), "m") };
}

export class DangerousCommandDetector {
  private readonly patterns: CompiledPattern[];

  constructor(custom?: string[]) {
    this.patterns = (custom ?? DEFAULT_DANGEROUS_PATTERNS.map((p) => p.pattern)).map(compile);
  }

  /** The patterns the command matches (empty when it is not dangerous). */
  matches(command: string): string[] {
    return this.patterns.filter((p) => p.re.test(command)).map((p) => p.source);
  }
}

interface TokenRecord {
  command: string;
  owner: string | null;
  scope: string | null;
  expiresAt: number;
}

/** Single-use, TTL-bound confirmation tokens bound to one command, its owner and its scope. */
export class ConfirmationTokens {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(private readonly ttlSec: number) {}

  issue(command: string, owner: string | null, scope: string | null): { token: string; expiresAt: number } {
    this.sweep();
    const token = `dc_${randomBytes(16).toString("hex")}`;
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
