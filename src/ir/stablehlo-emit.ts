/**
 * The StableHLO emitter: what a primitive's `stablehlo` rule writes with. It names SSA
 * values as MLIR prints them (`%0`, `%3#1`, `%cst`, `%arg0`), prints tensor types from
 * avals, writes ops into the current block, builds regions and private functions,
 * and lowers sub-jaxprs in place.
 */
import { ShapedArray } from "../core/aval.js";
import { readValues, type NdArray } from "../core/array.js";
import { isFloat, type DType } from "../core/dtypes.js";
import type { MultiRules } from "../core/primitive.js";
import type { Params } from "../core/trace.js";
import { Literal, type Atom, type Jaxpr, type Var } from "./jaxpr.js";
import { denseText, ELEMENT_TYPE, elementText, i64Array, intList, tensorType } from "./stablehlo-text.js";

declare module "../core/primitive.js" {
  // The rules' context is the emitter below.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface StableHloContext extends StableHloEmitter {}
}

/** The naming state of one function: SSA numbers, block-argument numbers and named-value suffixes. */
class FuncState {
  next = 0;
  nextArg = 0;
  readonly named = new Map<string, number>();
  /** The lines of the block being written (a stack: regions push and pop). */
  blocks: string[][] = [[]];
}

/** A private function of the module: its name and text. */
interface PrivateFunc {
  name: string;
  text: string;
}

const indent = (text: string): string =>
  text
    .split("\n")
    .map((l) => (l === "" ? l : `  ${l}`))
    .join("\n");

/** The comparison type `stablehlo.compare` takes for a dtype. */
export function compareType(dtype: DType): string {
  return isFloat(dtype) ? "FLOAT" : dtype === "int32" ? "SIGNED" : "UNSIGNED";
}

export class StableHloEmitter {
  /** The operands' avals of the equation being lowered. */
  inAvals: ShapedArray[] = [];
  /** The results' avals of the equation being lowered. */
  outAvals: ShapedArray[] = [];
  private fn = new FuncState();
  private readonly funcs: PrivateFunc[] = [];
  private readonly funcKeys = new Map<unknown, string>();
  private readonly symbols = new Set<string>(["main"]);

  // --- text --------------------------------------------------------------------------------

  /** `tensor<2x3xf32>`. */
  type(aval: ShapedArray): string {
    return tensorType(aval);
  }

  /** `tensor<f32>, tensor<3xi32>`. */
  types(avals: readonly ShapedArray[]): string {
    return avals.map(tensorType).join(", ");
  }

  /** A function type: `(tensor<2xf32>, tensor<f32>) -> tensor<2xf32>` (results in parentheses when not one). */
  fnType(ins: readonly ShapedArray[], outs: readonly ShapedArray[]): string {
    const out = outs.length === 1 ? tensorType(outs[0]) : `(${this.types(outs)})`;
    return `(${this.types(ins)}) -> ${out}`;
  }

  /** The element type: f32, i32, ui32, i1. */
  elementType(dtype: DType): string {
    return ELEMENT_TYPE[dtype];
  }

  // --- values and ops ------------------------------------------------------------------------

  /** A fresh name with MLIR's suffixes: `cst`, then `cst_0`, `cst_1`, ... */
  private named(prefix: string): string {
    const k = this.fn.named.get(prefix) ?? 0;
    this.fn.named.set(prefix, k + 1);
    return k === 0 ? `%${prefix}` : `%${prefix}_${k - 1}`;
  }

  /** A fresh block argument (`%arg3`). */
  freshArg(): string {
    return `%arg${this.fn.nextArg++}`;
  }

  /** Reserves the results of an op: the left-hand side (`%4` or `%4:2`) and the names (`%4#0`, `%4#1`). */
  results(n: number): { lhs: string; names: string[] } {
    const id = this.fn.next++;
    if (n === 1) return { lhs: `%${id}`, names: [`%${id}`] };
    return { lhs: `%${id}:${n}`, names: Array.from({ length: n }, (_, i) => `%${id}#${i}`) };
  }

  /** Writes a line (or a multi-line op) into the current block. */
  line(text: string): void {
    this.fn.blocks[this.fn.blocks.length - 1].push(text);
  }

  /** Writes `%N = rhs` (`%N:n = rhs` for several results) and returns the results' names. */
  op(rhs: string, n = 1): string[] {
    if (n === 0) {
      this.line(rhs);
      return [];
    }
    const r = this.results(n);
    this.line(`${r.lhs} = ${rhs}`);
    return r.names;
  }

  /** A constant of `aval`'s shape, every element `value`: `%cst = stablehlo.constant dense<1.000000e+00> : tensor<f32>`. */
  constant(value: number | boolean, aval: ShapedArray): string {
    const name = this.named(isFloat(aval.dtype) ? "cst" : "c");
    this.line(`${name} = stablehlo.constant dense<${elementText(Number(value), aval.dtype)}> : ${tensorType(aval)}`);
    return name;
  }

  /** A constant array (a captured value): `dense<[...]>`, or hex bytes when large. */
  arrayConstant(x: NdArray): string {
    const name = this.named(isFloat(x.dtype) ? "cst" : "c");
    const aval = new ShapedArray(x.shape, x.dtype);
    this.line(`${name} = stablehlo.constant ${denseText(readValues(x), aval)} : ${tensorType(aval)}`);
    return name;
  }

  /** `stablehlo.<name> %x : tensor<...>` (an elementwise unary op, same type in and out). */
  unary(name: string, x: string, aval: ShapedArray): string {
    return this.op(`stablehlo.${name} ${x} : ${tensorType(aval)}`)[0];
  }

  /** `stablehlo.<name> %a, %b : tensor<...>` (both operands of the result's type). */
  binary(name: string, a: string, b: string, aval: ShapedArray): string {
    return this.op(`stablehlo.${name} ${a}, ${b} : ${tensorType(aval)}`)[0];
  }

  /** `stablehlo.compare  GT, %a, %b,  FLOAT`: operands of type `aval`, an i1 result of its shape. */
  compare(direction: string, a: string, b: string, aval: ShapedArray): string {
    const out = new ShapedArray(aval.shape, "bool");
    const t = compareType(aval.dtype);
    return this.op(`stablehlo.compare  ${direction}, ${a}, ${b},  ${t} : ${this.fnType([aval, aval], [out])}`)[0];
  }

  /** `stablehlo.convert` from `from`'s dtype to `to`'s (the same value when they agree). */
  convert(x: string, from: ShapedArray, to: DType): string {
    if (from.dtype === to) return x;
    return this.op(`stablehlo.convert ${x} : ${this.fnType([from], [new ShapedArray(from.shape, to)])}`)[0];
  }

  /** `stablehlo.broadcast_in_dim %x, dims = [...]`: operand axis i becomes result axis dims[i]. */
  broadcastInDim(x: string, from: ShapedArray, to: ShapedArray, dims: readonly number[]): string {
    return this.op(`stablehlo.broadcast_in_dim ${x}, dims = ${intList(dims)} : ${this.fnType([from], [to])}`)[0];
  }

  /** Broadcasts `x` to `shape` as numpy does (trailing axes aligned); the same value when the shapes agree. */
  broadcastTo(x: string, from: ShapedArray, shape: readonly number[]): string {
    if (from.shape.length === shape.length && from.shape.every((d, i) => d === shape[i])) return x;
    const lead = shape.length - from.ndim;
    const dims = from.shape.map((_, i) => lead + i);
    return this.broadcastInDim(x, from, new ShapedArray(shape, from.dtype), dims);
  }

  /** A scalar constant broadcast to `aval` (a splat constant). */
  full(value: number | boolean, aval: ShapedArray): string {
    return this.constant(value, aval);
  }

  /** `stablehlo.reshape`. */
  reshape(x: string, from: ShapedArray, to: ShapedArray): string {
    if (from.shape.length === to.shape.length && from.shape.every((d, i) => d === to.shape[i])) return x;
    return this.op(`stablehlo.reshape ${x} : ${this.fnType([from], [to])}`)[0];
  }

  /** `stablehlo.transpose %x, dims = [...]`. */
  transpose(x: string, from: ShapedArray, perm: readonly number[]): string {
    const to = from.withShape(perm.map((p) => from.shape[p]));
    return this.op(`stablehlo.transpose ${x}, dims = ${intList(perm)} : ${this.fnType([from], [to])}`)[0];
  }

  /** `stablehlo.select %p, %a, %b : tensor<...xi1>, tensor<...>`. */
  select(p: string, a: string, b: string, aval: ShapedArray): string {
    const pred = new ShapedArray(aval.shape, "bool");
    return this.op(`stablehlo.select ${p}, ${a}, ${b} : ${tensorType(pred)}, ${tensorType(aval)}`)[0];
  }

  /**
   * `stablehlo.reduce` over `dims`: with one operand and a one-op body, JAX's compact form
   * `stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1]`; else the
   * generic form, whose body takes the accumulators, then the new elements.
   */
  reduce(
    xs: string[],
    inits: string[],
    avals: ShapedArray[],
    dims: readonly number[],
    body: string | ((acc: string[], x: string[]) => string[]),
  ): string[] {
    const outs = avals.map((a) => a.withShape(a.shape.filter((_, i) => !dims.includes(i))));
    const scalars = avals.map((a) => a.withShape([]));
    if (typeof body === "string" && xs.length === 1) {
      const sig = this.fnType([...avals, ...scalars], outs);
      return this.op(
        `stablehlo.reduce(${xs[0]} init: ${inits[0]}) applies stablehlo.${body} across dimensions = ${intList(dims)} : ${sig}`,
      );
    }
    const n = xs.length;
    const fn =
      typeof body === "string" ? (a: string[], b: string[]) => [this.binary(body, a[0], b[0], scalars[0])] : body;
    return this.generic(
      "stablehlo.reduce",
      [...xs, ...inits],
      [...avals, ...scalars],
      outs,
      `dimensions = ${i64Array(dims)}`,
      [() => this.region([...scalars, ...scalars], scalars, (args) => fn(args.slice(0, n), args.slice(n)))],
    );
  }

  // --- regions, functions, sub-jaxprs ------------------------------------------------------------

  /**
   * A region: `{ ^bb0(%arg1: tensor<f32>, ...): ... stablehlo.return ... }` with fresh block
   * arguments of `argAvals`; or, given `names`, a block without a header whose arguments
   * the op names itself (while's `%iterArg`s). `body` returns the values (of `outAvals`) to return.
   */
  region(
    argAvals: readonly ShapedArray[],
    outAvals: readonly ShapedArray[],
    body: (args: string[]) => string[],
    names: string[] | null = null,
    terminator = "stablehlo.return",
  ): string {
    const args = names ?? argAvals.map(() => this.freshArg());
    this.fn.blocks.push([]);
    const outs = body(args);
    this.line(outs.length === 0 ? terminator : `${terminator} ${outs.join(", ")} : ${this.types(outAvals)}`);
    const lines = this.fn.blocks.pop()!;
    const header =
      names === null ? [`^bb0(${args.map((a, i) => `${a}: ${tensorType(argAvals[i])}`).join(", ")}):`] : [];
    return `{\n${[...header, ...lines.map(indent)].join("\n")}\n}`;
  }

  /**
   * An op in MLIR's generic form, with regions: `"stablehlo.case"(%i) ({...}, {...}) : (...) -> ...`.
   * `attrs` is the properties dictionary's contents (`dimensions = array<i64: 0>`), or "".
   */
  generic(
    name: string,
    operands: string[],
    ins: readonly ShapedArray[],
    outs: readonly ShapedArray[],
    attrs: string,
    regions: (() => string)[] = [],
  ): string[] {
    const r = this.results(outs.length);
    const props = attrs === "" ? "" : ` <{${attrs}}>`;
    const regionText = regions.length === 0 ? "" : ` (${regions.map((f) => f()).join(", ")})`;
    const text = `"${name}"(${operands.join(", ")})${props}${regionText} : ${this.fnType(ins, outs)}`;
    this.line(outs.length === 0 ? text : `${r.lhs} = ${text}`);
    return outs.length === 0 ? [] : r.names;
  }

  /** Fresh names for while's iteration arguments: `%iterArg`, `%iterArg_0`, ... */
  iterArgs(n: number): string[] {
    return Array.from({ length: n }, () => this.named("iterArg"));
  }

  /**
   * A private function of the module (once per `key`): `func.func private @name(...)`, its body
   * written by `body` (given the argument names; returns the results). Returns its symbol.
   */
  privateFunc(
    key: unknown,
    name: string,
    ins: readonly ShapedArray[],
    outs: readonly ShapedArray[],
    body: (args: string[]) => string[],
  ): string {
    const known = this.funcKeys.get(key);
    if (known !== undefined) return known;
    const base = name.replace(/[^A-Za-z0-9_$.]/g, "_") || "fn";
    let symbol = base;
    for (let k = 0; this.symbols.has(symbol); k++) symbol = `${base}_${k}`;
    this.symbols.add(symbol);
    this.funcKeys.set(key, symbol);
    const saved = { fn: this.fn, inAvals: this.inAvals, outAvals: this.outAvals };
    this.fn = new FuncState();
    const args = ins.map(() => this.freshArg());
    const results = body(args);
    const text = this.funcText("private", symbol, args, ins, outs, results, null);
    Object.assign(this, saved);
    this.funcs.push({ name: symbol, text });
    return symbol;
  }

  /** `call @f(%a, %b) : (...) -> ...`: results' names. */
  call(symbol: string, args: string[], ins: readonly ShapedArray[], outs: readonly ShapedArray[]): string[] {
    return this.op(`call @${symbol}(${args.join(", ")}) : ${this.fnType(ins, outs)}`, outs.length);
  }

  /** Lowers `jaxpr`'s equations into the current block (constants and inputs given); returns its outputs. */
  lowerJaxpr(jaxpr: Jaxpr, consts: string[], args: string[]): string[] {
    const env = new Map<Var, string>();
    jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
    jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
    const read = (a: Atom): string => (a instanceof Literal ? this.arrayConstant(a.value) : env.get(a)!);
    for (const eqn of jaxpr.eqns) {
      const operands = eqn.inputs.map(read);
      const saved = [this.inAvals, this.outAvals];
      this.inAvals = eqn.inputs.map((a) => a.aval);
      this.outAvals = eqn.outvars.map((v) => v.aval);
      const rules = eqn.prim.rules as MultiRules<Params>;
      const outs = rules.stablehlo(this, operands, eqn.params);
      [this.inAvals, this.outAvals] = saved;
      eqn.outvars.forEach((v, i) => env.set(v, outs[i]));
    }
    return jaxpr.outvars.map(read);
  }

  // --- the module ------------------------------------------------------------------------------

  /** One function's text. */
  funcText(
    visibility: "public" | "private",
    symbol: string,
    args: string[],
    ins: readonly ShapedArray[],
    outs: readonly ShapedArray[],
    results: string[],
    resultInfo: string[] | null,
  ): string {
    const params = args.map((a, i) => `${a}: ${tensorType(ins[i])}`).join(", ");
    const outTypes = outs.map((o, i) =>
      resultInfo ? `${tensorType(o)} {jax.result_info = ${JSON.stringify(resultInfo[i])}}` : tensorType(o),
    );
    // One result without attributes is printed bare, as MLIR prints it.
    const sig =
      outs.length === 0 ? "" : outs.length === 1 && !resultInfo ? ` -> ${outTypes[0]}` : ` -> (${outTypes.join(", ")})`;
    this.line(results.length === 0 ? "return" : `return ${results.join(", ")} : ${this.types(outs)}`);
    const body = this.fn.blocks[0].map(indent).join("\n");
    return `func.func ${visibility} @${symbol}(${params})${sig} {\n${body}\n}`;
  }

  /** Starts `main`'s naming afresh (its arguments are `%arg0`...). */
  beginMain(): void {
    this.fn = new FuncState();
  }

  /** The private functions written so far, in order. */
  privateFuncs(): string[] {
    return this.funcs.map((f) => f.text);
  }
}
