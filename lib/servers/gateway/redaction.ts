import { mapStrings, redactor as processRedactor, REDACTED, Redactor } from "../../core/redact.ts";

/**
 * Redaction for downstream output: the process-wide patterns and secrets (lib/core/redact.ts), the
 * gateway's own known secrets (credentials it loaded), then the policy's patterns. A policy pattern with
 * two or more groups keeps its first group and hides the last one ("api_key=[REDACTED]"); one without
 * groups hides the whole match. Policy patterns add to the built-ins, never replace them.
 */
export class OutputRedactor {
  private readonly own = new Redactor();

  constructor(private readonly policyPatterns: RegExp[] = []) {}

  addSecret(value: string | undefined): void {
    this.own.addSecret(value);
  }

  redact(text: string): string {
    let out = this.own.redact(processRedactor.redact(text));
    for (const re of this.policyPatterns) {
      re.lastIndex = 0;
      out = out.replace(re, (match: string, ...rest: unknown[]) => {
        const groups = rest.slice(0, -2).filter((g) => typeof g === "string") as string[];
        const secret = groups.length >= 2 ? groups[groups.length - 1]! : undefined;
        if (!secret) return REDACTED;
        const at = match.lastIndexOf(secret);
        return at < 0 ? REDACTED : `${match.slice(0, at)}${REDACTED}${match.slice(at + secret.length)}`;
      });
    }
    return out;
  }

  redactValue<T>(value: T): T {
    return mapStrings(value, (s) => this.redact(s));
  }
}
