/** Offsets → 1-based line/column, and the source line(s) of a region. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  /** The text of lines `from`..`to` (1-based), trimmed, capped for reports. */
  lines(from: number, to: number): string {
    const start = this.starts[from - 1] ?? 0;
    const end = to < this.starts.length ? this.starts[to]! - 1 : this.text.length;
    const s = this.text.slice(start, end).replace(/\r/g, '').trim();
    return s.length > 400 ? `${s.slice(0, 400)}…` : s;
  }
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/** Replace comments with spaces, keeping offsets (for pattern detectors over C-like and hash-comment languages). */
export function blankComments(text: string, style: 'c' | 'hash' | 'c+hash'): string {
  const out = text.split('');
  let i = 0;
  const n = text.length;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      // Strings stay (they are what we read); skip to the closing quote.
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (style !== 'hash' && c === '/' && text[i + 1] === '/') {
      const j = text.indexOf('\n', i);
      blank(i, j < 0 ? n : j);
      i = j < 0 ? n : j;
    } else if (style !== 'hash' && c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      blank(i, j < 0 ? n : j + 2);
      i = j < 0 ? n : j + 2;
    } else if (style !== 'c' && c === '#') {
      const j = text.indexOf('\n', i);
      blank(i, j < 0 ? n : j);
      i = j < 0 ? n : j;
    } else i++;
  }
  return out.join('');
}
