/**
 * Types and attributes of StableHLO text: `tensor<2x3xf32>`, `dense<...>` literals (splat,
 * nested lists, hex blobs), `array<i64: 1, 2>`, dictionaries, `#stablehlo.gather<...>` and
 * the other dialect attributes, `[1] x [0]` pairs and `[b, 0, 1, f]x[...]->[...]` layouts.
 */
import type { Pos } from "./errors.js";
import type { Cursor } from "./parse-cursor.js";

/** A ranked tensor type (a scalar type such as `f32` is a tensor of rank 0); `elem` as written (`f32`, `ui32`, `i1`). */
export interface TensorType {
  shape: number[];
  elem: string;
  pos: Pos;
}

/** The element list of a `dense<...>` literal: a hex blob, or the scalars as written (flattened). */
export type DenseContent =
  { kind: "hex"; hex: string } | { kind: "values"; values: (string | boolean)[]; splat: boolean };

export type Attr =
  | { kind: "int"; value: number; text: string }
  | { kind: "float"; value: number; text: string }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "keyword"; value: string }
  | { kind: "symbol"; value: string }
  | { kind: "list"; items: Attr[] }
  | { kind: "slice"; start: number; limit: number; stride: number }
  | { kind: "dict"; name: string; entries: Map<string, Attr> }
  | { kind: "dense"; content: DenseContent; type: TensorType | null; pos: Pos }
  | { kind: "type"; type: TensorType }
  | { kind: "function-type"; inputs: TensorType[]; results: TensorType[] }
  | { kind: "pair"; parts: Attr[] };

const SCALAR_TYPE = /^(f16|bf16|f32|f64|i1|i8|i16|i32|i64|ui8|ui16|ui32|ui64|index|f8\w*|complex<.*>)$/;

/** `tensor<2x3xf32>`, a scalar type (`f32`), `!stablehlo.token` or `tuple<...>` (kept as their text). */
export function parseType(c: Cursor): TensorType {
  c.ws();
  const at = c.i;
  const pos = c.pos(at);
  if (c.eat("tensor<")) {
    const start = c.i;
    c.skipBalanced();
    const inner = c.text
      .slice(start, c.i - 1)
      .split(",")[0]
      .trim();
    const m = /^((?:(?:\d+|\?)x)*)(.+)$/.exec(inner);
    if (!m) throw c.fail("a tensor type such as tensor<2x3xf32>", at);
    const dims = m[1] === "" ? [] : m[1].slice(0, -1).split("x");
    if (dims.includes("?")) {
      throw c.error(
        "dynamic shapes are not supported",
        `: got tensor<${inner}>, expected static dimensions. Export with concrete shapes.`,
        at,
      );
    }
    return { shape: dims.map(Number), elem: m[2], pos };
  }
  if (c.peek() === "!") {
    c.i++;
    const name = c.expectIdent("a type name");
    if (c.eat("<")) c.skipBalanced();
    return { shape: [], elem: "!" + name, pos };
  }
  const id = c.ident();
  if (id === "tuple" && c.eat("<")) {
    c.skipBalanced();
    return { shape: [], elem: "tuple", pos };
  }
  if (id === "complex" && c.eat("<")) {
    c.skipBalanced();
    return { shape: [], elem: "complex", pos };
  }
  if (id === null || !SCALAR_TYPE.test(id)) {
    c.i = at;
    throw c.fail("a type such as tensor<2x3xf32>", at);
  }
  return { shape: [], elem: id, pos };
}

/** A type list: `(t1, t2)`, `()` or a single type. */
export function parseTypeList(c: Cursor): TensorType[] {
  if (!c.eat("(")) return [parseType(c)];
  const out: TensorType[] = [];
  if (c.eat(")")) return out;
  do {
    out.push(parseType(c));
    skipArgAttrs(c);
  } while (c.eat(","));
  c.expect(")");
  return out;
}

/** A function type `(inputs) -> results`. */
export function parseFunctionType(c: Cursor): { inputs: TensorType[]; results: TensorType[] } {
  c.expect("(", "a function type such as (tensor<f32>) -> tensor<f32>");
  c.i--;
  const inputs = parseTypeList(c);
  c.expect("->");
  return { inputs, results: parseTypeList(c) };
}

/** Skips an argument's or result's attribute dictionary (`{mhlo.layout_mode = "default"}`). */
export function skipArgAttrs(c: Cursor): void {
  if (c.eat("{")) c.skipBalanced();
}

/** `{k = v, ...}` (the brace not yet consumed). */
export function parseDict(c: Cursor, name = "", close = "}"): Attr {
  const entries = new Map<string, Attr>();
  if (c.eat(close)) return { kind: "dict", name, entries };
  do {
    if (c.peekIs(close)) break;
    const key = c.peek() === '"' ? c.string() : c.expectIdent("an attribute name");
    entries.set(key, c.eat("=") ? parseAttr(c, true) : { kind: "bool", value: true });
  } while (c.eat(","));
  c.expect(close);
  return { kind: "dict", name, entries };
}

/** An attribute value; `typed`: a trailing `: type` belongs to it (inside dictionaries and lists). */
export function parseAttr(c: Cursor, typed: boolean): Attr {
  const first = parsePrimary(c, typed);
  if (first.kind !== "list" || !c.peekIs("x")) return first;
  // `[1] x [0]` (dot dimension pairs) and `[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]` (conv layouts).
  const save = c.i;
  c.ws();
  c.i++;
  if (c.peek() !== "[") {
    c.i = save;
    return first;
  }
  const parts = [first, parsePrimary(c, typed)];
  if (c.eat("->")) parts.push(parsePrimary(c, typed));
  return { kind: "pair", parts };
}

function parsePrimary(c: Cursor, typed: boolean): Attr {
  const ch = c.peek();
  const pos = c.pos();
  if (ch === "[") {
    c.i++;
    return parseList(c, typed);
  }
  if (ch === "{") {
    c.i++;
    return parseDict(c);
  }
  if (ch === '"') return { kind: "string", value: c.string() };
  if (ch === "@") return { kind: "symbol", value: c.sigil("@")!.slice(1) };
  if (ch === "#") return parseDialectAttr(c, typed);
  if (ch === "(") {
    const f = parseFunctionType(c);
    return { kind: "function-type", ...f };
  }
  const num = c.numberText();
  if (num !== null) {
    const isInt = /^[-+]?\d+$/.test(num);
    const attr: Attr = isInt
      ? { kind: "int", value: Number(num), text: num }
      : { kind: "float", value: parseFloatText(num), text: num };
    if (typed && c.eat(":")) parseType(c);
    return attr;
  }
  const save = c.i;
  const id = c.ident();
  if (id === null) throw c.fail("an attribute value");
  if (id === "true" || id === "false") {
    if (typed && c.eat(":")) parseType(c);
    return { kind: "bool", value: id === "true" };
  }
  if (id === "dense" && c.eat("<")) {
    const content = parseDense(c);
    const type = typed && c.eat(":") ? parseType(c) : null;
    return { kind: "dense", content, type, pos };
  }
  if (id === "dense_resource")
    throw c.error("dense_resource blobs are not supported", ": expected inline dense<...> constants.", save);
  if (id === "array" && c.eat("<")) {
    const elem = c.expectIdent("an element type");
    const items: Attr[] = [];
    if (c.eat(":")) {
      do items.push(parsePrimary(c, false));
      while (c.eat(","));
    }
    c.expect(">");
    void elem;
    return { kind: "list", items };
  }
  if (id === "tensor" || id === "tuple") {
    c.i = save;
    return { kind: "type", type: parseType(c) };
  }
  return { kind: "keyword", value: id };
}

/** `[a, b, ...]` after its `[`; `start:limit[:stride]` items make slice ranges. */
function parseList(c: Cursor, typed: boolean): Attr {
  const items: Attr[] = [];
  if (c.eat("]")) return { kind: "list", items };
  do {
    const save = c.i;
    const num = c.numberText();
    if (num !== null && c.peek() === ":" && /^\s*:\s*-?\d/.test(c.text.slice(c.i, c.i + 40))) {
      c.expect(":");
      const limit = c.integer("a slice limit");
      const stride = c.eat(":") ? c.integer("a slice stride") : 1;
      items.push({ kind: "slice", start: Number(num), limit, stride });
      continue;
    }
    c.i = save;
    items.push(parseAttr(c, typed));
  } while (c.eat(","));
  c.expect("]", '"]" closing a list');
  return { kind: "list", items };
}

/** `#stablehlo<comparison_direction LT>`, `#stablehlo.gather<k = v, ...>`, `#stablehlo.conv<[b, 0, f]x...>`, `#alias`. */
function parseDialectAttr(c: Cursor, typed: boolean): Attr {
  const name = c.sigil("#")!.slice(1);
  if (!c.eat("<")) return { kind: "keyword", value: name };
  const save = c.i;
  if (c.eat("raw")) {
    /* #stablehlo.conv<raw ...> */
  } else c.i = save;
  if (c.peek() === "[") {
    const v = parseAttr(c, typed);
    c.expect(">");
    return v;
  }
  // A dictionary `k = v` or a bare keyword list (`comparison_direction LT`, `DEFAULT`).
  const look = /^\s*[A-Za-z_][\w.]*\s*=/.test(c.text.slice(c.i, c.i + 80));
  if (look) return parseDict(c, name, ">");
  const words: string[] = [];
  while (!c.eat(">")) {
    const w = c.ident() ?? c.numberText();
    if (w === null) {
      c.skipBalanced();
      break;
    }
    words.push(w);
    c.eat(",");
  }
  return { kind: "keyword", value: words[words.length - 1] ?? name };
}

/** The inside of `dense<...>`, after `dense<`, up to and including its `>`. */
function parseDense(c: Cursor): DenseContent {
  if (c.peek() === '"') {
    const hex = c.string();
    c.expect(">");
    if (!/^0x[0-9a-fA-F]*$/.test(hex)) throw c.fail('a hex blob "0x..."');
    return { kind: "hex", hex: hex.slice(2) };
  }
  const values: (string | boolean)[] = [];
  if (c.eat(">")) return { kind: "values", values, splat: false };
  const splat = c.peek() !== "[";
  const element = (): void => {
    if (c.eat("[")) {
      if (c.eat("]")) return;
      do element();
      while (c.eat(","));
      c.expect("]");
      return;
    }
    if (c.peek() === "(") throw c.error("complex constants are not supported", ": expected real or integer elements.");
    const n = c.numberText();
    if (n !== null) values.push(n);
    else if (c.eat("true")) values.push(true);
    else if (c.eat("false")) values.push(false);
    else throw c.fail("a dense element (a number, true or false)");
  };
  element();
  c.expect(">");
  return { kind: "values", values, splat };
}

/** A float as MLIR prints it: decimal, `inf`, `nan` (hex bit patterns are decoded per type elsewhere). */
export function parseFloatText(t: string): number {
  if (/^[-+]?inf$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  return Number(t);
}

// --- reading attributes -----------------------------------------------------------------

/** Integers of a list attribute (`[1, 2]`, `array<i64: 1, 2>`, `dense<[1, 2]>`). */
export function intsOf(a: Attr | undefined): number[] | null {
  if (a === undefined) return null;
  if (a.kind === "list")
    return a.items.every((x) => x.kind === "int") ? a.items.map((x) => (x as { value: number }).value) : null;
  if (a.kind === "dense" && a.content.kind === "values") return a.content.values.map((v) => Number(v));
  if (a.kind === "int") return [a.value];
  return null;
}

/** The value of a keyword-like attribute (`LT`, `#stablehlo<comparison_direction LT>`, `"LT"`). */
export function wordOf(a: Attr | undefined): string | null {
  if (a === undefined) return null;
  if (a.kind === "keyword" || a.kind === "string" || a.kind === "symbol") return a.value;
  return null;
}
