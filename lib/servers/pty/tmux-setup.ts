import type { PtyApp } from "./pty-app.ts";

/** Wires the tmux backend into the app when tmux is installed (filled in with the tmux backend). */
export async function createTmuxBackend(_app: PtyApp): Promise<void> {}
