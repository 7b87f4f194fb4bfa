/**
 * Local line editing for a container's stdin, which is not a TTY: the terminal echoes what the user types,
 * edits the line locally (Backspace, Delete, arrows, Home/End, Ctrl-A/E/U) and sends it whole on Enter.
 * Ctrl-D sends a partial line, or closes stdin on an empty one (as a Unix terminal does); Ctrl-C asks for
 * an interrupt. Pure: input in, terminal text and actions out.
 */
export type EditorAction =
  /** Text for the terminal (echo, cursor movement). */
  | { kind: 'write'; text: string }
  /** Bytes for the container's stdin. */
  | { kind: 'send'; text: string }
  /** Close the container's stdin. */
  | { kind: 'eof' }
  /** Deliver INT to the container. */
  | { kind: 'interrupt' };

const ESC = '\x1b';

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private pendingEscape = '';
  private closed = false;

  /** Whether stdin was closed (Ctrl-D on an empty line); further typing only rings the bell. */
  get stdinClosed(): boolean {
    return this.closed;
  }

  /** The line being edited. */
  get line(): string {
    return this.chars.join('');
  }

  input(data: string): EditorAction[] {
    const out: EditorAction[] = [];
    const write = (text: string): void => {
      if (text === '') return;
      const last = out[out.length - 1];
      if (last?.kind === 'write') last.text += text;
      else out.push({ kind: 'write', text });
    };
    let rest = this.pendingEscape + data;
    this.pendingEscape = '';
    while (rest.length > 0) {
      if (rest.startsWith(ESC)) {
        const seq = escapeSequence(rest);
        if (seq === undefined) {
          this.pendingEscape = rest;
          break;
        }
        rest = rest.slice(seq.length);
        if (!this.closed) write(this.escape(seq));
        continue;
      }
      const cp = rest.codePointAt(0) ?? 0;
      const ch = String.fromCodePoint(cp);
      rest = rest.slice(ch.length);
      if (ch === '\x03') {
        out.push({ kind: 'interrupt' });
        write('^C\r\n');
        this.chars = [];
        this.cursor = 0;
        continue;
      }
      if (this.closed) {
        write('\x07');
        continue;
      }
      switch (ch) {
        case '\r':
        case '\n': {
          const line = this.line;
          write(this.moveToEnd() + '\r\n');
          this.chars = [];
          this.cursor = 0;
          out.push({ kind: 'send', text: `${line}\n` });
          break;
        }
        case '\x04':
          if (this.chars.length === 0) {
            this.closed = true;
            out.push({ kind: 'eof' });
          } else {
            out.push({ kind: 'send', text: this.line });
            write(this.moveToEnd());
            this.chars = [];
            this.cursor = 0;
          }
          break;
        case '\x7f':
        case '\b':
          write(this.backspace());
          break;
        case '\x01':
          write(this.home());
          break;
        case '\x05':
          write(this.moveToEnd());
          break;
        case '\x15':
          write(this.hide());
          this.chars = [];
          this.cursor = 0;
          break;
        default:
          if (cp < 0x20 && ch !== '\t') break; // other control characters: ignored
          write(this.insert(ch));
      }
    }
    return out;
  }

  /** Terminal text that takes the line being edited off the screen (before container output is shown). */
  hide(): string {
    if (this.chars.length === 0) return '';
    return (this.cursor > 0 ? `${ESC}[${this.cursor}D` : '') + `${ESC}[K`;
  }

  /** Terminal text that puts the line being edited back (after container output). */
  show(): string {
    if (this.chars.length === 0) return '';
    const back = this.chars.length - this.cursor;
    return this.line + (back > 0 ? `${ESC}[${back}D` : '');
  }

  private insert(ch: string): string {
    const tail = this.chars.slice(this.cursor).join('');
    this.chars.splice(this.cursor, 0, ch);
    this.cursor++;
    return tail === '' ? ch : `${ch}${tail}${ESC}[${tail.length}D`;
  }

  private backspace(): string {
    if (this.cursor === 0) return '\x07';
    this.chars.splice(this.cursor - 1, 1);
    this.cursor--;
    const tail = this.chars.slice(this.cursor).join('');
    return `\b${tail} ${ESC}[${tail.length + 1}D`;
  }

  private deleteForward(): string {
    if (this.cursor >= this.chars.length) return '\x07';
    this.chars.splice(this.cursor, 1);
    const tail = this.chars.slice(this.cursor).join('');
    return `${tail} ${ESC}[${tail.length + 1}D`;
  }

  private home(): string {
    const n = this.cursor;
    this.cursor = 0;
    return n > 0 ? `${ESC}[${n}D` : '';
  }

  private moveToEnd(): string {
    const n = this.chars.length - this.cursor;
    this.cursor = this.chars.length;
    return n > 0 ? `${ESC}[${n}C` : '';
  }

  private escape(seq: string): string {
    switch (seq) {
      case `${ESC}[D`:
      case `${ESC}OD`:
        if (this.cursor === 0) return '';
        this.cursor--;
        return `${ESC}[D`;
      case `${ESC}[C`:
      case `${ESC}OC`:
        if (this.cursor >= this.chars.length) return '';
        this.cursor++;
        return `${ESC}[C`;
      case `${ESC}[H`:
      case `${ESC}OH`:
      case `${ESC}[1~`:
        return this.home();
      case `${ESC}[F`:
      case `${ESC}OF`:
      case `${ESC}[4~`:
        return this.moveToEnd();
      case `${ESC}[3~`:
        return this.deleteForward();
      default:
        return ''; // history, function keys, ...: not handled
    }
  }
}

/** The escape sequence at the start of `s` (CSI `ESC [ ... final`, SS3 `ESC O x`, or `ESC x`),
 * or undefined when a CSI or SS3 sequence is cut off at the end of the chunk. */
function escapeSequence(s: string): string | undefined {
  if (s.length < 2) return s; // the Escape key alone: xterm sends sequences whole, so nothing follows
  const kind = s[1];
  if (kind === '[') {
    for (let i = 2; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x40 && c <= 0x7e) return s.slice(0, i + 1);
    }
    return undefined;
  }
  if (kind === 'O') return s.length >= 3 ? s.slice(0, 3) : undefined;
  return s.slice(0, 2);
}
