import { randomBytes } from "node:crypto";
import { COMMAND_POSITION, DEFAULT_DANGEROUS_PATTERNS } from "./dangerous-patterns.ts";

/**
 * The command as the shell will see its words: quotes and backslash escapes removed ('rm', "rm", r\m
 * → rm; "/" → /) and directory prefixes dropped from program names (/bin/rm → rm), so quoting or a
 * full path does not slip a command past the patterns. Matched in addition to the raw text.
 */
function unquote(command: string): string {
  // argv strings end at a NUL, and a backquoted command starts a new command position.
  return command
    .split("\u0000")[0]!
    .replace(/\\\n/g, " ")
    .replace(/`/g, " ; ")
    .replace(/\$\{IFS\}|\$IFS\b/g, " ")
    .replace(/["'\\]/g, "")
    .replace(/(^|[\s;&|(`{]|\$\()(?:\.{0,2}\/[\w.+-]+)*\/(?=[A-Za-z])/g, "$1");
}

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
    const plain = unquote(command);
    return this.patterns.filter((p) => p.re.test(command) || p.re.test(plain)).map((p) => p.source);
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
