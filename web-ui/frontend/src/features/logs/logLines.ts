/** The lines of a log as they arrive in chunks: split at newlines, the unfinished last line held back, capped. */
export class LogLines {
  private held = "";
  private kept: string[] = [];
  private droppedCount = 0;

  constructor(private readonly cap = 5000) {}

  /** Adds a chunk of text; returns whether the kept lines changed. */
  push(chunk: string): boolean {
    const text = this.held + chunk;
    const parts = text.split("\n");
    this.held = parts.pop() ?? "";
    if (parts.length === 0) return false;
    this.kept.push(...parts.map((l) => l.replace(/\r$/, "")));
    this.trim();
    return true;
  }

  /** The stream ended: an unfinished last line counts as a line. */
  end(): boolean {
    if (this.held === "") return false;
    this.kept.push(this.held);
    this.held = "";
    this.trim();
    return true;
  }

  lines(): readonly string[] {
    return this.kept;
  }

  /** How many of the oldest lines were let go to stay under the cap. */
  dropped(): number {
    return this.droppedCount;
  }

  private trim(): void {
    const over = this.kept.length - this.cap;
    if (over > 0) {
      this.kept = this.kept.slice(over);
      this.droppedCount += over;
    }
  }
}

/** The parts of a line around each case-insensitive occurrence of `needle` (for <mark>). */
export function highlight(line: string, needle: string): { text: string; match: boolean }[] {
  if (!needle) return [{ text: line, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const haystack = line.toLowerCase();
  const wanted = needle.toLowerCase();
  let from = 0;
  for (let at = haystack.indexOf(wanted); at !== -1; at = haystack.indexOf(wanted, at + wanted.length)) {
    if (at > from) parts.push({ text: line.slice(from, at), match: false });
    parts.push({ text: line.slice(at, at + wanted.length), match: true });
    from = at + wanted.length;
  }
  if (from < line.length) parts.push({ text: line.slice(from), match: false });
  return parts;
}

/** Occurrences of `needle` (case-insensitive) in the lines, and how many lines hold one. */
export function countMatches(lines: readonly string[], needle: string): { matches: number; lines: number } {
  if (!needle) return { matches: 0, lines: 0 };
  const wanted = needle.toLowerCase();
  let matches = 0;
  let matchingLines = 0;
  for (const line of lines) {
    const haystack = line.toLowerCase();
    let inLine = 0;
    for (let at = haystack.indexOf(wanted); at !== -1; at = haystack.indexOf(wanted, at + wanted.length)) inLine++;
    matches += inLine;
    if (inLine) matchingLines++;
  }
  return { matches, lines: matchingLines };
}
