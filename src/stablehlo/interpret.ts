/**
 * The StableHLO interpreter: runs a parsed function op by op, each op by its handler (which
 * applies cotangent primitives to the operands). Run under the staging trace, it produces
 * the jaxpr of the module once; run eagerly, it evaluates it.
 */
import type { NdArray } from "../core/array.js";
import { shapeStr } from "../core/aval.js";
import type { Func, Module, Op, Region } from "./parse-ops.js";
import { dtypeOf, opError, typeText, type Ctx, type Handler } from "./interpret-util.js";
import { BINARY_OPS, ELEMENTWISE, UNARY_OPS } from "./interpret-elementwise.js";
import { STRUCTURAL } from "./interpret-structural.js";
import { GATHER } from "./interpret-gather.js";
import { CONTROL } from "./interpret-control.js";
import { choleskyOp, lapackTargets } from "./interpret-linalg.js";
import { isReturn } from "./interpret-regions.js";
import { errorAt } from "./errors.js";
import * as ew from "../primitives/elementwise.js";
import type { TensorType } from "./parse-attrs.js";

const HANDLERS: Record<string, Handler> = {
  ...ELEMENTWISE,
  ...STRUCTURAL,
  ...GATHER,
  ...CONTROL,
  "stablehlo.cholesky": choleskyOp,
};

/** The ops the interpreter runs, sorted (for error messages and documentation). */
export const SUPPORTED_OPS: readonly string[] = Object.keys(HANDLERS).sort();

/** Operand counts of the ops that have a fixed number. */
const ARITY: Record<string, number> = {
  ...Object.fromEntries(UNARY_OPS.map((n) => [n, 1])),
  ...Object.fromEntries(BINARY_OPS.map((n) => [n, 2])),
  "stablehlo.compare": 2,
  "stablehlo.select": 3,
  "stablehlo.clamp": 3,
  "stablehlo.convert": 1,
  "stablehlo.bitcast_convert": 1,
  "stablehlo.constant": 0,
  "stablehlo.iota": 0,
  "stablehlo.broadcast_in_dim": 1,
  "stablehlo.reshape": 1,
  "stablehlo.transpose": 1,
  "stablehlo.slice": 1,
  "stablehlo.pad": 2,
  "stablehlo.reverse": 1,
  "stablehlo.dot_general": 2,
  "stablehlo.dot": 2,
  "stablehlo.convolution": 2,
  "stablehlo.gather": 2,
  "stablehlo.triangular_solve": 2,
  "stablehlo.cholesky": 1,
  "stablehlo.reduce_precision": 1,
  "stablehlo.select_and_scatter": 3,
};

/** Widths of the integer types that run widened to 32 bits. */
const NARROW_BITS: Record<string, number> = { i8: 8, i16: 16, ui8: 8, ui16: 16 };
/** Ops that read their operand's bits as unsigned (a widened negative number has more of them). */
const UNSIGNED_VIEW = new Set(["stablehlo.shift_right_logical", "stablehlo.popcnt"]);

const mask = (x: NdArray, bits: number): NdArray => ew.and(x, ew.scalarLike(2 ** bits - 1, x));

function unsignedBits(x: NdArray, bits: number): NdArray {
  return x.dtype === "int32" || x.dtype === "uint32" ? mask(x, bits) : x;
}

/** A widened result brought back into its type's range, wrapping around as 8- and 16-bit arithmetic does. */
function wrapNarrow(x: NdArray, elem: string): NdArray {
  if (x.dtype !== "int32" && x.dtype !== "uint32") return x;
  const bits = NARROW_BITS[elem];
  const low = mask(x, bits);
  if (elem.startsWith("ui")) return low;
  // Sign extension: (v ^ 2^(b-1)) - 2^(b-1).
  const half = ew.scalarLike(2 ** (bits - 1), low);
  return ew.sub(ew.xor(low, half), half);
}

/** Values by name; a region sees the values of the blocks around it. */
class Env {
  private readonly values = new Map<string, NdArray>();
  constructor(private readonly parent: Env | null) {}

  get(name: string, op: Op): NdArray {
    const v = this.values.get(name) ?? this.parent?.lookup(name);
    if (v === undefined) throw opError(op, `use of undefined value ${name}`, ": expected a value defined before it.");
    return v;
  }
  private lookup(name: string): NdArray | undefined {
    return this.values.get(name) ?? this.parent?.lookup(name);
  }
  set(name: string, v: NdArray): void {
    this.values.set(name, v);
  }
}

function sameType(x: NdArray, t: TensorType): boolean {
  return x.dtype === dtypeOf(t) && x.ndim === t.shape.length && x.shape.every((d, i) => d === t.shape[i]);
}

class Interpreter implements Ctx {
  private depth = 0;
  readonly customCalls = lapackTargets();
  constructor(readonly mod: Module) {}

  run(fn: Func, args: NdArray[]): NdArray[] {
    const env = new Env(null);
    fn.args.forEach((a, i) => env.set(a.name, args[i]));
    return this.block(fn.body, env, fn.pos);
  }

  region(r: Region, args: NdArray[]): NdArray[] {
    const env = new Env(this.current);
    r.args.forEach((a, i) => env.set(a.name, args[i]));
    return this.block(r.ops, env, null);
  }

  call(name: string, args: NdArray[], op: Op): NdArray[] {
    const fn = this.mod.funcs.get(name);
    if (fn === undefined)
      throw opError(
        op,
        `call of unknown function @${name}`,
        `: expected one of ${[...this.mod.funcs.keys()].map((k) => "@" + k).join(", ")}.`,
      );
    if (fn.args.length !== args.length) {
      throw opError(op, `call of @${name} with ${args.length} arguments`, `: expected ${fn.args.length}.`);
    }
    if (++this.depth > 256) throw opError(op, "calls nest deeper than 256", ": recursion is not supported.");
    const saved = this.current;
    try {
      this.current = null;
      return this.run(fn, args);
    } finally {
      this.current = saved;
      this.depth--;
    }
  }

  private current: Env | null = null;

  private block(ops: Op[], env: Env, pos: Func["pos"] | null): NdArray[] {
    const saved = this.current;
    this.current = env;
    try {
      for (const op of ops) {
        if (isReturn(op)) return op.operands.map((v) => env.get(v, op));
        this.step(op, env);
      }
    } finally {
      this.current = saved;
    }
    throw errorAt(pos, "a block ends without a return", ": expected return or stablehlo.return as its last op.");
  }

  private step(op: Op, env: Env): void {
    const handler = HANDLERS[op.name];
    if (handler === undefined) {
      throw errorAt(
        op.pos,
        `unknown op ${op.name}`,
        `: got ${op.name}, expected a StableHLO op cotangent runs (stablehlo.add, stablehlo.dot_general, stablehlo.reduce, ...; see stablehlo.deserialize's documentation).`,
      );
    }
    const arity = ARITY[op.name];
    if (arity !== undefined && op.operands.length !== arity) {
      throw opError(
        op,
        `takes ${arity} operand${arity === 1 ? "" : "s"}`,
        `: got ${op.operands.length}, expected ${arity}.`,
      );
    }
    const args = op.operands.map((v) => env.get(v, op));
    const narrowIn = op.inTypes?.[0]?.elem ?? op.outTypes[0]?.elem;
    if (args.length && UNSIGNED_VIEW.has(op.name) && narrowIn !== undefined && NARROW_BITS[narrowIn]) {
      args[0] = unsignedBits(args[0], NARROW_BITS[narrowIn]);
    }
    const outs = handler(op, args, this).map((x, k) => {
      const elem = op.outTypes[k]?.elem;
      return elem !== undefined && NARROW_BITS[elem] ? wrapNarrow(x, elem) : x;
    });
    if (outs.length !== op.results.length) {
      throw opError(
        op,
        `gives ${outs.length} results`,
        `: got ${op.results.length} result names, expected ${outs.length}.`,
      );
    }
    outs.forEach((x, k) => {
      const t = op.outTypes[k];
      if (t !== undefined && !sameType(x, t)) {
        throw opError(
          op,
          `result ${k} does not match its declared type`,
          `: got ${x.aval.str()} (${shapeStr(x.shape)}), expected ${typeText(t)}.`,
        );
      }
      env.set(op.results[k], x);
    });
  }
}

/** Runs function `fn` of a module on arrays (under whatever trace is current). */
export function interpret(mod: Module, fn: Func, args: NdArray[]): NdArray[] {
  return new Interpreter(mod).run(fn, args);
}
