/** A rendered terminal screen (via @xterm/headless), fed with a session's output. */

interface XtermBufferLine {
  translateToString(trimRight?: boolean): string;
  isWrapped: boolean;
}
interface XtermBuffer {
  type: "normal" | "alternate";
  cursorX: number;
  cursorY: number;
  viewportY: number;
  baseY: number;
  length: number;
  getLine(y: number): XtermBufferLine | undefined;
}
interface XtermTerminal {
  cols: number;
  rows: number;
  buffer: { active: XtermBuffer; normal: XtermBuffer };
  write(data: string | Uint8Array, cb?: () => void): void;
  resize(cols: number, rows: number): void;
  dispose(): void;
}
type XtermCtor = new (opts: Record<string, unknown>) => XtermTerminal;

let ctor: Promise<XtermCtor> | undefined;
function loadXterm(): Promise<XtermCtor> {
  ctor ??= import("@xterm/headless").then((m) => {
    const mod = m as unknown as { Terminal?: XtermCtor; default?: { Terminal: XtermCtor } };
    return (mod.Terminal ?? mod.default!.Terminal) as XtermCtor;
  });
  return ctor;
}

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  lines: string[];
  cursor: { x: number; y: number };
  alternate_screen: boolean;
  scrollback?: string[];
}

export class ScreenModel {
  private constructor(private readonly term: XtermTerminal) {}

  static async create(cols: number, rows: number, scrollback: number): Promise<ScreenModel> {
    const Terminal = await loadXterm();
    return new ScreenModel(new Terminal({ cols, rows, scrollback, allowProposedApi: true }));
  }

  write(data: Uint8Array): void {
    this.term.write(Buffer.from(data));
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** Waits until everything written so far has been parsed (xterm parses asynchronously). */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write("", resolve));
  }

  async snapshot(scrollbackLines = 0): Promise<ScreenSnapshot> {
    await this.flush();
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.term.rows; y++)
      lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? "");
    const snap: ScreenSnapshot = {
      cols: this.term.cols,
      rows: this.term.rows,
      lines,
      cursor: { x: buf.cursorX, y: buf.cursorY },
      alternate_screen: buf.type === "alternate",
    };
    if (scrollbackLines > 0) {
      const normal = this.term.buffer.normal;
      const top = normal.baseY;
      const from = Math.max(0, top - scrollbackLines);
      const sb: string[] = [];
      for (let y = from; y < top; y++) sb.push(normal.getLine(y)?.translateToString(true) ?? "");
      snap.scrollback = sb;
    }
    return snap;
  }

  dispose(): void {
    this.term.dispose();
  }
}
