/**
 * A cursor over StableHLO text: the character-level reading that the parser is built on.
 * Trivia (whitespace, `//` comments and MLIR location annotations `loc(...)`) is skipped
 * by `ws()`; every error names the line and column where reading stopped.
 */
import { errorAt, type Pos, type StableHloError } from "./errors.js";

/** Letters and `_`: what an identifier starts with. */
function isIdentStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Letters, digits and `_ $ . -`: what an identifier (or a `%name`) continues with. */
function isIdentChar(code: number): boolean {
  return isIdentStart(code) || (code >= 48 && code <= 57) || code === 36 || code === 46 || code === 45;
}

const IDENT_START = { test: (c: string) => c.length > 0 && isIdentStart(c.charCodeAt(0)) };
const IDENT_CHAR = { test: (c: string) => c.length > 0 && isIdentChar(c.charCodeAt(0)) };
const NUMBER = /[-+]?(0x[0-9a-fA-F]+|(\d+(\.\d*)?([eE][-+]?\d+)?)|inf|nan)/y;

export class Cursor {
  i = 0;

  constructor(readonly text: string) {}

  private lineStarts: number[] | null = null;

  /** The 1-based line and column of offset `at` (default: the cursor), by binary search over line starts. */
  pos(at = this.i): Pos {
    if (this.lineStarts === null) {
      this.lineStarts = [0];
      for (let k = 0; k < this.text.length; k++) if (this.text.charCodeAt(k) === 10) this.lineStarts.push(k + 1);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo] + 1 };
  }

  error(what: string, detail = ".", at = this.i): StableHloError {
    return errorAt(this.pos(at), what, detail);
  }

  /** `what at line L, column C: got <next text>, expected <expected>.` */
  fail(expected: string, at = this.i): StableHloError {
    return errorAt(this.pos(at), "malformed text", `: got ${this.preview(at)}, expected ${expected}.`);
  }

  preview(at = this.i): string {
    if (at >= this.text.length) return "the end of the text";
    const rest = this.text.slice(at, at + 24).split("\n")[0];
    return JSON.stringify(rest);
  }

  atEnd(): boolean {
    this.ws();
    return this.i >= this.text.length;
  }

  /** Skips whitespace, `//` comments and `loc(...)` annotations. */
  ws(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 9 || c === 13) this.i++;
      else if (c === 47 && t.charCodeAt(this.i + 1) === 47) {
        while (this.i < t.length && t.charCodeAt(this.i) !== 10) this.i++;
      } else if (
        c === 108 &&
        t.startsWith("loc(", this.i) &&
        (this.i === 0 || !isIdentChar(t.charCodeAt(this.i - 1)))
      ) {
        this.i += 4;
        this.skipBalanced();
      } else return;
    }
  }

  /** The next non-trivia character, without consuming it ("" at the end). */
  peek(): string {
    this.ws();
    return this.text[this.i] ?? "";
  }

  peekIs(s: string): boolean {
    this.ws();
    return this.text.startsWith(s, this.i);
  }

  /** Consumes `s` if it comes next. */
  eat(s: string): boolean {
    if (!this.peekIs(s)) return false;
    // A keyword must not run on into an identifier (`x` vs `xor`).
    if (IDENT_START.test(s[s.length - 1]) && IDENT_CHAR.test(this.text[this.i + s.length] ?? "")) return false;
    this.i += s.length;
    return true;
  }

  expect(s: string, what = JSON.stringify(s)): void {
    if (!this.eat(s)) throw this.fail(what);
  }

  /** Consumes a bare identifier (letters, digits, `_ $ . -`), or returns null. */
  ident(): string | null {
    this.ws();
    const start = this.i;
    if (!IDENT_START.test(this.text[start] ?? "")) return null;
    let j = start + 1;
    while (j < this.text.length && isIdentChar(this.text.charCodeAt(j))) j++;
    this.i = j;
    return this.text.slice(start, j);
  }

  expectIdent(what: string): string {
    const id = this.ident();
    if (id === null) throw this.fail(what);
    return id;
  }

  /** A name after a sigil (`%arg0`, `@main`, `^bb0`, `#loc3`), with the sigil; null if none. */
  sigil(s: "%" | "@" | "^" | "#"): string | null {
    this.ws();
    if (this.text[this.i] !== s) return null;
    let j = this.i + 1;
    if (this.text[j] === '"') {
      this.i = j;
      return s + this.string();
    }
    while (j < this.text.length && isIdentChar(this.text.charCodeAt(j))) j++;
    if (j === this.i + 1) throw this.fail(`a name after "${s}"`);
    const name = this.text.slice(this.i, j);
    this.i = j;
    return name;
  }

  /** A double-quoted string with MLIR escapes (`\"`, `\\`, `\n`, `\HH`). */
  string(): string {
    this.ws();
    if (this.text[this.i] !== '"') throw this.fail("a string");
    let out = "";
    let j = this.i + 1;
    for (;;) {
      const c = this.text[j];
      if (c === undefined) throw this.error("unterminated string");
      if (c === '"') break;
      if (c === "\\") {
        const n = this.text[j + 1];
        if (n === "n") out += "\n";
        else if (n === "t") out += "\t";
        else if (n === '"' || n === "\\") out += n;
        else if (/[0-9a-fA-F]/.test(n ?? "") && /[0-9a-fA-F]/.test(this.text[j + 2] ?? "")) {
          out += String.fromCharCode(parseInt(this.text.slice(j + 1, j + 3), 16));
          j += 3;
          continue;
        } else out += n;
        j += 2;
        continue;
      }
      out += c;
      j++;
    }
    this.i = j + 1;
    return out;
  }

  /** A number as written (`-1`, `2.5e-3`, `0x7F800000`, `inf`, `nan`); null if none comes next. */
  numberText(): string | null {
    this.ws();
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m || (/^[-+]?(inf|nan)/.test(m[0]) && IDENT_CHAR.test(this.text[this.i + m[0].length] ?? ""))) return null;
    this.i += m[0].length;
    return m[0];
  }

  integer(what = "an integer"): number {
    const at = this.i;
    const t = this.numberText();
    if (t === null || !/^[-+]?\d+$/.test(t)) {
      this.i = at;
      throw this.fail(what);
    }
    return Number(t);
  }

  /** Skips a bracketed group whose opening bracket was just consumed (any of `( [ { <`). */
  skipBalanced(): void {
    let depth = 1;
    const t = this.text;
    while (this.i < t.length && depth > 0) {
      const c = t[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === "(" || c === "[" || c === "{" || (c === "<" && t[this.i - 1] !== "-")) depth++;
      else if (c === ")" || c === "]" || c === "}" || (c === ">" && t[this.i - 1] !== "-")) depth--;
      this.i++;
    }
    if (depth > 0) throw this.error("unbalanced brackets: the text ends inside a group");
  }
}
