import type { PtySession } from "./session.ts";

/** Placeholder until the tmux backend lands. */
export class TmuxBackend {
  keepOnShutdown(_s: PtySession): boolean {
    return false;
  }
  async shutdown(): Promise<void> {}
  async recover(_name: string, _owner: string): Promise<PtySession[]> {
    return [];
  }
}
