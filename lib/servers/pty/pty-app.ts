import type { Logger } from "../../core/log.ts";
import type { PtyConfig } from "./config.ts";
import { ConfirmationTokens, DangerousCommandDetector } from "./dangerous.ts";
import { LeaseBook } from "./leases.ts";
import { SessionManager } from "./session-manager.ts";
import type { TmuxBackend } from "./tmux-backend.ts";

/** Shared state behind every MCP session (stdio: one; HTTP: many). */
export class PtyApp {
  readonly manager: SessionManager;
  readonly detector: DangerousCommandDetector;
  readonly tokens: ConfirmationTokens;
  /** Pending questions to a person (elicitation): the retried call must carry one back, once. */
  readonly humanConfirmations: ConfirmationTokens;
  readonly leases: LeaseBook;
  tmux: TmuxBackend | null = null;

  constructor(
    readonly config: PtyConfig,
    readonly log: Logger,
    readonly version: string,
  ) {
    this.manager = new SessionManager(config, log);
    this.detector = new DangerousCommandDetector(config.dangerousPatterns);
    this.tokens = new ConfirmationTokens(config.dangerousTtlSec);
    this.humanConfirmations = new ConfirmationTokens(config.dangerousTtlSec, "hc_");
    this.leases = new LeaseBook(() => this.manager.list());
  }

  async close(): Promise<void> {
    const tmux = this.tmux;
    const kept = tmux ? this.manager.list().filter((s) => tmux.keepOnShutdown(s)) : [];
    await this.manager.shutdown((s) => kept.includes(s));
    await tmux?.shutdown(kept);
  }
}
