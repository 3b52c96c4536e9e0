/**
 * Operations, regions, functions and modules of StableHLO text, in both of MLIR's forms:
 * the pretty one that `jax.export` prints (`%0 = stablehlo.add %a, %b : tensor<2xf32>`) and
 * the generic one (`%0 = "stablehlo.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>`).
 *
 * The pretty forms differ op by op; they are read here by one reader of "items" (operands,
 * `key = value` attributes, bare keywords, literals, groups) that each op's interpreter then
 * picks from, plus the few trailing regions (`while ... cond {} do {}`, `reduce ... reducer`).
 */
import type { Pos } from "./errors.js";
import { Cursor } from "./parse-cursor.js";
import {
  parseAttr,
  parseDict,
  parseFunctionType,
  parseType,
  parseTypeList,
  type Attr,
  type TensorType,
} from "./parse-attrs.js";

export interface BlockArg {
  name: string;
  type: TensorType;
}

/** One block of a region (StableHLO regions have one). */
export interface Region {
  args: BlockArg[];
  ops: Op[];
}

export interface Op {
  name: string;
  pos: Pos;
  /** Result names, `%0` or `%17#0`, `%17#1`, ... for several. */
  results: string[];
  operands: string[];
  /** `key = value` attributes, properties `<{...}>` and attribute dictionaries, merged. */
  attrs: Map<string, Attr>;
  /** Bare items of the pretty form, in order: keywords (`LT`, `SIGNED`), literals, lists, symbols. */
  words: Attr[];
  regions: Region[];
  /** Operand types, where the signature names them (a function type). */
  inTypes: TensorType[] | null;
  outTypes: TensorType[];
  /** The signature's types when it is a plain list (`: tensor<2xi1>, tensor<2xf32>`). */
  sigTypes: TensorType[];
  /** Names the pretty form gives region arguments (`stablehlo.while(%iterArg = %x)`). */
  regionArgNames: string[];
}

export interface Func {
  name: string;
  public: boolean;
  pos: Pos;
  args: BlockArg[];
  results: TensorType[];
  body: Op[];
}

export interface Module {
  name: string;
  funcs: Map<string, Func>;
}

/** Ops up to a closing `}` (not consumed). */
export function parseOps(c: Cursor): Op[] {
  const ops: Op[] = [];
  while (c.peek() !== "}" && c.peek() !== "") ops.push(parseOp(c));
  return ops;
}

function newOp(name: string, pos: Pos, results: string[]): Op {
  return {
    name,
    pos,
    results,
    operands: [],
    attrs: new Map(),
    words: [],
    regions: [],
    inTypes: null,
    outTypes: [],
    sigTypes: [],
    regionArgNames: [],
  };
}

/** `%0`, `%0:2`, `%a, %b` before `=`, expanded to one name per result. */
function parseResults(c: Cursor): string[] {
  const out: string[] = [];
  if (c.peek() !== "%") return out;
  do {
    const name = c.sigil("%");
    if (name === null) throw c.fail("a result name");
    if (c.peek() === ":" && /^:\s*\d/.test(c.text.slice(c.i, c.i + 8))) {
      c.expect(":");
      const n = c.integer("a result count");
      for (let k = 0; k < n; k++) out.push(`${name}#${k}`);
    } else out.push(name);
  } while (c.eat(","));
  c.expect("=", '"=" after the result names');
  return out;
}

/** A value use: `%x` or `%x#1`. */
function parseValue(c: Cursor): string {
  const name = c.sigil("%");
  if (name === null) throw c.fail("a value such as %0");
  if (c.text[c.i] === "#") {
    c.i++;
    return `${name}#${c.integer("a result number")}`;
  }
  return name;
}

export function parseOp(c: Cursor): Op {
  c.ws();
  const pos = c.pos();
  const results = parseResults(c);
  c.ws();
  const opPos = c.pos();
  if (c.peek() === '"') return parseGeneric(c, c.string(), opPos, results);
  const name = c.ident();
  if (name === null) throw c.fail("an operation such as stablehlo.add");
  const op = newOp(name, pos.line === opPos.line ? opPos : pos, results);
  parseItems(c, op);
  if (c.eat(":")) parseSignature(c, op);
  parseTrailingRegions(c, op);
  return op;
}

/** `"name"(operands) <{props}> ({regions}) {attrs} : (types) -> types`. */
function parseGeneric(c: Cursor, name: string, pos: Pos, results: string[]): Op {
  const op = newOp(name, pos, results);
  c.expect("(");
  if (!c.eat(")")) {
    do op.operands.push(parseValue(c));
    while (c.eat(","));
    c.expect(")");
  }
  if (c.eat("<{")) mergeDict(op, parseDict(c, "", "}"), c, true);
  if (c.peekIs("({")) {
    c.expect("(");
    do op.regions.push(parseRegion(c));
    while (c.eat(","));
    c.expect(")");
  }
  if (c.eat("{")) mergeDict(op, parseDict(c), c);
  c.expect(":", '":" before the type signature');
  parseSignature(c, op);
  return op;
}

function mergeDict(op: Op, d: Attr, c: Cursor, props = false): void {
  if (d.kind !== "dict") return;
  for (const [k, v] of d.entries) op.attrs.set(k, v);
  if (props) c.expect(">", '">" closing the properties');
}

/** `{ ^bb0(%a: t, %b: t): ops }` or `{ ops }`. */
function parseRegion(c: Cursor, args: BlockArg[] = []): Region {
  c.expect("{", '"{" opening a region');
  if (c.peek() === "^") {
    c.sigil("^");
    if (c.eat("(")) {
      if (!c.eat(")")) {
        do {
          const name = c.sigil("%");
          if (name === null) throw c.fail("a block argument");
          c.expect(":");
          args.push({ name, type: parseType(c) });
        } while (c.eat(","));
        c.expect(")");
      }
    }
    c.expect(":");
  }
  const ops = parseOps(c);
  c.expect("}", '"}" closing a region');
  return { args, ops };
}

/** True when the next item starts on a later line (pretty ops are one line up to their signature). */
function nextOnNewLine(c: Cursor): boolean {
  const at = c.i;
  c.ws();
  const nl = c.text.indexOf("\n", at);
  return nl >= 0 && nl < c.i;
}

/** The pretty form's items, up to the `:` of the signature. */
function parseItems(c: Cursor, op: Op): void {
  const inits: string[] = [];
  for (;;) {
    if (nextOnNewLine(c)) break;
    const ch = c.peek();
    if (ch === ":" || ch === "}" || ch === "") break;
    parseItem(c, op, inits);
    c.eat(",");
  }
  op.operands.push(...inits);
}

function parseItem(c: Cursor, op: Op, inits: string[]): void {
  const ch = c.peek();
  if (ch === "%") {
    op.operands.push(parseValue(c));
    return;
  }
  if (ch === "(") {
    c.i++;
    parseGroup(c, op, inits);
    return;
  }
  if (ch === "@") {
    op.words.push({ kind: "symbol", value: c.sigil("@")!.slice(1) });
    return;
  }
  if (ch === "{") {
    c.i++;
    mergeDict(op, parseDict(c), c);
    return;
  }
  if (c.peekIs("<{")) {
    c.i += 2;
    mergeDict(op, parseDict(c, "", "}"), c, true);
    return;
  }
  const save = c.i;
  const id = c.ident();
  if (id !== null && c.eat("=")) {
    op.attrs.set(id, parseAttr(c, false));
    return;
  }
  if (id === "applies") {
    op.attrs.set("applies", { kind: "keyword", value: c.expectIdent("the reducer's op name") });
    return;
  }
  if (id === "across") return;
  c.i = save;
  op.words.push(parseAttr(c, false));
}

/** `(%a, %b)`, `(%x init: %y)`, `(%iterArg = %x, ...)`. */
function parseGroup(c: Cursor, op: Op, inits: string[]): void {
  if (c.eat(")")) return;
  do {
    if (c.peek() !== "%") {
      const key = c.expectIdent("a value such as %0");
      c.expect("=");
      op.attrs.set(key, parseAttr(c, false));
      continue;
    }
    const v = parseValue(c);
    if (c.eat("=")) {
      op.regionArgNames.push(v);
      op.operands.push(parseValue(c));
    } else if (c.eat("init")) {
      c.expect(":");
      op.operands.push(v);
      inits.push(parseValue(c));
    } else op.operands.push(v);
  } while (c.eat(","));
  c.expect(")", '")" closing an operand group');
}

/** After `:`: a function type `(ins) -> outs`, or a plain type list. */
function parseSignature(c: Cursor, op: Op): void {
  if (c.peek() === "(") {
    const f = parseFunctionType(c);
    op.inTypes = f.inputs;
    op.outTypes = f.results;
  } else {
    do op.sigTypes.push(parseType(c));
    while (c.eat(","));
    if (c.eat("->")) {
      // chlo's pretty form: `: tensor<4xf32> -> tensor<4xf32>`.
      op.inTypes = op.sigTypes;
      op.outTypes = parseTypeList(c);
      return;
    }
    const n = op.results.length;
    op.outTypes = n === 0 ? [] : op.sigTypes.slice(-n);
  }
}

/** Regions after a pretty op's signature: `cond {} do {}` (while), `reducer(...) {}` (reduce). */
function parseTrailingRegions(c: Cursor, op: Op): void {
  if (op.name === "stablehlo.while" && c.eat("cond")) {
    const types = op.sigTypes.length ? op.sigTypes : (op.inTypes ?? []);
    const args = () => op.regionArgNames.map((name, k) => ({ name, type: types[k] }));
    op.regions.push(parseRegion(c, args()));
    c.expect("do");
    op.regions.push(parseRegion(c, args()));
  } else if (c.eat("reducer")) {
    // reducer(%a0: t, %b0: t) (%a1: t, %b1: t) { ... }: block arguments are a0, a1, ..., b0, b1, ...
    const lhs: BlockArg[] = [];
    const rhs: BlockArg[] = [];
    while (c.eat("(")) {
      for (const side of [lhs, rhs]) {
        const name = c.sigil("%");
        if (name === null) throw c.fail("a reducer argument");
        c.expect(":");
        side.push({ name, type: parseType(c) });
        c.eat(",");
      }
      c.expect(")");
    }
    op.regions.push(parseRegion(c, [...lhs, ...rhs]));
  }
}
