/**
 * `lax.cond`, `lax.switch`, `lax.whileLoop`, `lax.foriLoop`, `lax.scan`, `lax.map`:
 * the pytree boundary and the checks of JAX's contracts, in front of the
 * cond / while / scan primitives.
 */
import { ShapedArray } from "../core/aval.js";
import { NdArray, type ArrayLike, readValues } from "../core/array.js";
import { isFloat, isInteger } from "../core/dtypes.js";
import { DTypeError, ShapeError, TransformError } from "../core/errors.js";
import {
  defineOptions,
  describeValue,
  either,
  is,
  isPlainObject,
  noExtraArgs,
  orNull,
  type OptArgs,
} from "../core/options.js";
import { Tracer } from "../core/trace.js";
import { ClosedJaxpr, Jaxpr, Var } from "../ir/jaxpr.js";
import { asArray } from "../primitives/as-array.js";
import { convert, max, min, ne, scalarLike, add, lt } from "../primitives/elementwise.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { flattenArrays, checkCallable } from "../transforms/args.js";
import { bindCond } from "./cond.js";
import { bindScan } from "./scan.js";
import { bindWhile } from "./while.js";
import { reshape } from "../primitives/structural.js";
import { concatenate, sliceAxis } from "../primitives/slicing.js";
import { vmap } from "../transforms/vmap-api.js";
import { traceHoisted } from "./jaxprs.js";

type Fn = (...args: never[]) => unknown;

const call = (f: Fn, ...args: unknown[]) => (f as unknown as (...a: unknown[]) => unknown)(...args);

/** A traced function of flat leaves, with its output structure. */
function traceFn(
  op: string,
  f: (leaves: NdArray[]) => unknown,
  avals: ShapedArray[],
): { jaxpr: ClosedJaxpr; consts: NdArray[]; outTree: TreeDef } {
  let outTree: TreeDef | null = null;
  const { jaxpr, consts } = traceHoisted((xs) => {
    const [ls, def] = flattenArrays(f(xs), op, "the function's output");
    outTree = def;
    return ls;
  }, avals);
  return { jaxpr, consts, outTree: outTree! };
}

const typesText = (avals: readonly ShapedArray[]) => avals.map((a) => a.str()).join(", ");
const sameTypes = (a: readonly ShapedArray[], b: readonly ShapedArray[]) =>
  a.length === b.length && a.every((x, i) => x.equals(b[i]));

/** A scalar predicate or index, checked. */
function scalarOperand(op: string, x: ArrayLike, what: string): NdArray {
  const a = asArray(x, undefined, op);
  if (a.ndim !== 0) {
    throw new ShapeError(
      `[${op}] the ${what} must be a scalar: got ${a.aval.str()}, expected shape (). Reduce it first (np.all, np.any) or index it.`,
    );
  }
  return a;
}

/**
 * Branch jaxprs over shared operands [all branches' consts..., operands...]:
 * each branch reads only its own constants.
 */
function joinBranches(
  op: string,
  traced: { jaxpr: ClosedJaxpr; consts: NdArray[]; outTree: TreeDef }[],
): { branches: ClosedJaxpr[]; consts: NdArray[]; outTree: TreeDef } {
  const first = traced[0];
  traced.forEach((t, i) => {
    if (!t.outTree.equals(first.outTree)) {
      throw new TransformError(
        `[${op}] branch outputs must have the same pytree structure: got ${t.outTree} for branch ${i} and ${first.outTree} for branch 0. Return the same structure from every branch.`,
      );
    }
    const a = t.jaxpr.outAvals;
    const b = first.jaxpr.outAvals;
    if (!sameTypes(a, b)) {
      throw new TransformError(
        `[${op}] branches must return the same types: got (${typesText(a)}) from branch ${i} and (${typesText(b)}) from branch 0, expected equal shapes and dtypes. Cast or reshape inside the branches.`,
      );
    }
  });
  const allConsts = traced.flatMap((t) => t.consts);
  let offset = 0;
  const branches = traced.map((t) => {
    const j = t.jaxpr.jaxpr;
    const nc = t.consts.length;
    const own = j.invars.slice(0, nc);
    const before = allConsts.slice(0, offset).map((c) => new Var(c.aval));
    const after = allConsts.slice(offset + nc).map((c) => new Var(c.aval));
    offset += nc;
    return new ClosedJaxpr(new Jaxpr([], [...before, ...own, ...after, ...j.invars.slice(nc)], j.eqns, j.outvars), []);
  });
  // Output weak types may differ between branches: use the first branch's avals for all.
  return { branches, consts: allConsts, outTree: first.outTree };
}

function runBranches(op: string, index: NdArray, fns: Fn[], operands: unknown[]): unknown {
  fns.forEach((f, i) => checkCallable(`${op} (branch ${i})`, f));
  const [leaves, tree] = flattenArrays(operands, op, "the operands");
  const avals = leaves.map((l) => l.aval);
  const traced = fns.map((f) => traceFn(op, (xs) => call(f, ...(unflatten(tree, xs) as unknown[])), avals));
  const { branches, consts, outTree } = joinBranches(op, traced);
  return unflatten(outTree, bindCond(index, [...consts, ...leaves], branches));
}

/**
 * `lax.cond(pred, trueFn, falseFn, ...operands)`: `trueFn(...operands)` if pred else `falseFn(...operands)`.
 * Both branches are traced (their outputs must have the same types); only the chosen one runs.
 *
 * @example
 * lax.cond(np.array(true), (x: Array) => np.add(x, 1), (x: Array) => np.subtract(x, 1), np.array(10)); // 11
 */
export function cond(pred: ArrayLike, trueFn: Fn, falseFn: Fn, ...operands: unknown[]): unknown {
  const p = scalarOperand("cond", pred, "predicate");
  if (!(p.dtype === "bool" || isInteger(p.dtype) || isFloat(p.dtype))) {
    throw new DTypeError(`[cond] the predicate must be a boolean scalar: got ${p.aval.str()}.`);
  }
  const truth = p.dtype === "bool" ? p : ne(p, scalarLike(0, p));
  return runBranches("cond", convert(truth, "int32"), [falseFn, trueFn], operands);
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[clamp(index)](...operands)`.
 *
 * @example
 * const branches = [(x: Array) => np.add(x, 1), (x: Array) => np.multiply(x, 2)];
 * lax.switch(1, branches, np.array(10)); // 20
 */
export function switchCase(index: ArrayLike, branches: readonly Fn[], ...operands: unknown[]): unknown {
  if (!Array.isArray(branches)) {
    throw new TransformError(
      `[switch] branches must be a JS array of functions: got ${describeValue(branches)}. Call lax.switch(index, [f0, f1], ...operands).`,
    );
  }
  const i = scalarOperand("switch", index, "index");
  if (
    !isInteger(i.dtype) &&
    !(i instanceof NdArray && i.weakType && !(i instanceof Tracer) && Number.isInteger(readValues(i)[0]))
  ) {
    throw new DTypeError(
      `[switch] the branch index must be an integer scalar: got ${i.aval.str()}, expected int32. Use .astype("int32").`,
    );
  }
  if (branches.length === 0) throw new TransformError(`[switch] needs at least one branch: got none.`);
  const idx = convert(i, "int32");
  const clamped = min(max(idx, scalarLike(0, idx)), scalarLike(branches.length - 1, idx));
  return runBranches("switch", clamped, [...branches], operands);
}

/** Carry leaves as the loop sees them: strong types (a weak init would change type in the body). */
function carryLeaves(op: string, init: unknown): [NdArray[], TreeDef] {
  const [leaves, tree] = flattenArrays(init, op, "the initial carry");
  return [leaves.map((l) => (l.weakType ? convert(l, l.dtype, false) : l)), tree];
}

function checkCarry(
  op: string,
  tree: TreeDef,
  outTree: TreeDef,
  inAvals: ShapedArray[],
  outAvals: ShapedArray[],
): void {
  if (!tree.equals(outTree)) {
    throw new TransformError(
      `[${op}] the body must return a carry with the structure of its input: got ${outTree}, expected ${tree}.`,
    );
  }
  const bad = inAvals.map((a, i) => (a.equals(outAvals[i]) ? -1 : i)).filter((i) => i >= 0);
  if (bad.length) {
    const lines = bad
      .map(
        (i) =>
          `  * the input carry component ${i} has type ${inAvals[i].str()} but the output has type ${outAvals[i].str()}`,
      )
      .join(";\n");
    throw new TransformError(
      `[${op}] body function carry input and carry output must have equal types (e.g. shapes and dtypes of arrays), but they differ:\n${lines}\nCast the output (or the initial value) so that the types match.`,
    );
  }
}

/**
 * `lax.while_loop(condFn, bodyFn, init)`: `while (condFn(c)) c = bodyFn(c)`.
 *
 * @example
 * lax.whileLoop((c: Array) => np.less(c, 10), (c: Array) => np.multiply(c, 2), np.array(1)); // 16
 */
export function whileLoop<T>(condFn: (carry: T) => unknown, bodyFn: (carry: T) => T, init: T, ...rest: []): T {
  noExtraArgs("lax.whileLoop", rest);
  checkCallable("whileLoop", condFn);
  checkCallable("whileLoop", bodyFn);
  const [leaves, tree] = carryLeaves("whileLoop", init);
  const avals = leaves.map((l) => l.aval);
  const c = traceFn("whileLoop", (xs) => condFn(unflatten(tree, xs) as T), avals);
  const pa = c.jaxpr.outAvals;
  if (pa.length !== 1 || pa[0].ndim !== 0 || pa[0].dtype !== "bool") {
    throw new TransformError(
      `[whileLoop] cond_fun must return a boolean scalar, but got output type(s) [${typesText(pa)}]. Compare with a scalar (np.less(i, n)) or reduce with np.all.`,
    );
  }
  const b = traceFn("whileLoop", (xs) => bodyFn(unflatten(tree, xs) as T), avals);
  checkCarry("whileLoop", tree, b.outTree, avals, b.jaxpr.outAvals);
  return unflatten(tree, bindWhile(c.consts, b.consts, leaves, c.jaxpr, b.jaxpr)) as T;
}

/** Options of `lax.scan` (JAX's order after f and init: xs, length, reverse, unroll). */
export interface ScanOptions<X = unknown> {
  /** The values to scan over (a pytree of arrays with one leading axis); null: none (give `length`). */
  xs?: X | null;
  /** The number of iterations; required when xs is null, else it must equal xs' leading size. */
  length?: number | null;
  /** Scan from the end of xs (ys are still stacked in xs' order). */
  reverse?: boolean;
  /** Accepted for JAX compatibility (a positive integer or a boolean); the loop is not unrolled. */
  unroll?: number | boolean;
}
const scanOptions = defineOptions(
  "lax.scan",
  {
    xs: is.any,
    length: orNull(is.nonNegativeInt),
    reverse: is.bool,
    unroll: either(is.positiveInt, is.bool),
  },
  ["xs", "length", "reverse", "unroll"],
);

/**
 * A lone trailing plain object is xs (a dict of arrays to scan over) when it has keys that are not
 * options and every leaf is an array with a leading axis; otherwise it is the options object (so a
 * misspelt option is an unknown-option error, not a strange xs).
 */
function scanArgs(args: readonly unknown[]): readonly unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const only = args[0];
  if (end !== 1 || !isPlainObject(only)) return args;
  if (Object.keys(only).every((k) => Object.hasOwn(scanOptions.spec.checks, k))) return args;
  const [leaves] = flatten(only);
  const isXs = leaves.length > 0 && leaves.every((l) => l instanceof NdArray && l.ndim > 0);
  return isXs ? [only, {}] : args;
}

/**
 * `lax.scan(f, init, xs=None, length=None, reverse=False, unroll=1)`: `f(carry, x) → [carry, y]` over
 * the leading axis of xs; returns `[finalCarry, stackedYs]`.
 * @example const [total, partials] = lax.scan((c, x) => [np.add(c, x), c], 0, xs, { reverse: true })
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  ...args: OptArgs<[(X | null)?, (number | null)?, boolean?, (number | boolean)?], ScanOptions<X>>
): [C, Y] {
  const options = scanOptions.parse(scanArgs(args));
  const xs = (options.xs ?? null) as X | null;
  checkCallable("scan", f);
  const [carry, carryTree] = carryLeaves("scan", init);
  const [xLeaves, xTree] = flattenArrays(xs, "scan", "xs");
  const lengths = new Set(xLeaves.map((x) => x.aval.shape[0]));
  if (xLeaves.some((x) => x.ndim === 0))
    throw new ShapeError(`[scan] every leaf of xs needs a leading axis to scan over: got a scalar.`);
  if (options.length !== undefined && options.length !== null) lengths.add(options.length);
  if (lengths.size !== 1) {
    throw new ShapeError(
      lengths.size === 0
        ? `[scan] the length is unknown: got no xs, expected a length option (lax.scan(f, init, null, { length: n })).`
        : `[scan] scan got values with different leading axis sizes: ${[...lengths].join(", ")}, expected one length for every leaf of xs (and the length option).`,
    );
  }
  const length = [...lengths][0];
  const xAvals = xLeaves.map((x) => x.aval.withShape(x.aval.shape.slice(1)));
  let yTree: TreeDef | null = null;
  let outCarryTree: TreeDef | null = null;
  const nk = carry.length;
  const body = traceFn(
    "scan",
    (ls) => {
      const out = f(unflatten(carryTree, ls.slice(0, nk)) as C, unflatten(xTree, ls.slice(nk)) as X);
      if (!Array.isArray(out) || out.length !== 2) {
        throw new TransformError(
          `[scan] the scanned function must return a pair [carry, y]: got ${Array.isArray(out) ? `an array of length ${out.length}` : typeof out}.`,
        );
      }
      const [cl, cdef] = flatten(out[0]);
      const [yl, ydef] = flatten(out[1]);
      outCarryTree = cdef;
      yTree = ydef;
      return [...cl, ...yl];
    },
    [...carry.map((c) => c.aval), ...xAvals],
  );
  const outAvals = body.jaxpr.outAvals;
  checkCarry(
    "scan",
    carryTree,
    outCarryTree!,
    carry.map((c) => c.aval),
    outAvals.slice(0, nk),
  );
  const res = bindScan(body.consts, carry, xLeaves, body.jaxpr, length, options.reverse ?? false);
  return [unflatten(carryTree, res.slice(0, nk)) as C, unflatten(yTree!, res.slice(nk)) as Y];
}

/** Options of `lax.map`. */
export interface MapOptions {
  /** Apply `f` to this many slices at a time (with vmap), in sequential chunks; null: one at a time. */
  batchSize?: number | null;
}
const mapOptions = defineOptions("lax.map", { batchSize: orNull(is.positiveInt) }, []);

/**
 * `lax.map(f, xs, *, batch_size=None)`: `f` applied to each slice along the leading axis, results stacked.
 * With `batchSize`, `vmap(f)` runs over chunks of that many slices, one chunk after another.
 * @example lax.map((row) => np.sum(row), m, { batchSize: 16 })
 */
export function map<X, Y>(f: (x: X) => Y, xs: X, ...args: OptArgs<[], MapOptions>): Y {
  const o = mapOptions.parse(args);
  checkCallable("map", f);
  const batchSize = o.batchSize ?? null;
  if (batchSize === null) {
    const [, ys] = scan((c: null, x: X) => [c, f(x)] as const, null, xs);
    return ys as Y;
  }
  const [leaves, tree] = flattenArrays(xs, "map", "xs");
  if (leaves.length === 0) throw new ShapeError(`[map] xs has no arrays to map over: got ${tree}.`);
  if (leaves.some((x) => x.ndim === 0)) {
    throw new ShapeError(`[map] every leaf of xs needs a leading axis to map over: got a scalar.`);
  }
  const n = leaves[0].aval.shape[0];
  if (leaves.some((x) => x.aval.shape[0] !== n)) {
    throw new ShapeError(
      `[map] map got values with different leading axis sizes: ${leaves.map((x) => x.aval.shape[0]).join(", ")}.`,
    );
  }
  if (n === 0) {
    const [, ys] = scan((c: null, x: X) => [c, f(x)] as const, null, xs);
    return ys as Y;
  }
  const fv = vmap((...ls: NdArray[]) => f(unflatten(tree, ls) as X));
  const numBatches = Math.floor(n / batchSize);
  const main = numBatches * batchSize;
  let outTree: TreeDef | null = null;
  const pieces: NdArray[][] = [];
  if (numBatches > 0) {
    const chunked = leaves.map((x) =>
      reshape(sliceAxis(x, 0, 0, main), [numBatches, batchSize, ...x.aval.shape.slice(1)]),
    );
    const [, ys] = scan(
      (c: null, chunk: NdArray[]) => {
        const [yl, yt] = flattenArrays(fv(...chunk), "map", "the function's output");
        outTree = yt;
        return [c, yl] as const;
      },
      null,
      chunked,
    );
    pieces.push(ys.map((y) => reshape(y, [main, ...y.aval.shape.slice(2)])));
  }
  if (main < n) {
    const [yl, yt] = flattenArrays(fv(...leaves.map((x) => sliceAxis(x, 0, main, n))), "map", "the function's output");
    outTree = yt;
    pieces.push(yl);
  }
  const ys = pieces[0].map((_, j) =>
    concatenate(
      pieces.map((p) => p[j]),
      0,
    ),
  );
  return unflatten(outTree!, ys) as Y;
}

/** Options of `lax.foriLoop`. */
export interface ForiLoopOptions {
  /** Accepted for JAX compatibility (null, a non-negative integer or a boolean); the loop is not unrolled. */
  unroll?: number | boolean | null;
}
const foriLoopOptions = defineOptions("lax.foriLoop", { unroll: orNull(either(is.nonNegativeInt, is.bool)) }, []);

/** A loop bound: an integer JS number or an integer scalar array. */
function loopBound(x: unknown, what: string): ArrayLike {
  if (typeof x === "number") {
    if (!Number.isInteger(x)) {
      throw new DTypeError(`[foriLoop] the ${what} bound must be an integer: got ${describeValue(x)}.`);
    }
    return x;
  }
  const a = scalarOperand("foriLoop", x as ArrayLike, `${what} bound`);
  if (!isInteger(a.dtype)) {
    throw new DTypeError(
      `[foriLoop] the ${what} bound must have an integer dtype: got ${a.aval.str()}. Use .astype("int32").`,
    );
  }
  return a;
}

/**
 * `lax.fori_loop(lower, upper, body_fun, init_val, *, unroll=None)`: `for (i = lower; i < upper; i++) val = body(i, val)`.
 * With JS-number bounds it is a scan (and reverse-differentiable); with traced bounds a while loop.
 *
 * @example
 * lax.foriLoop(0, 5, (i: Array, acc: Array) => np.add(acc, i), np.array(0)); // 10
 */
export function foriLoop<T>(
  lower: ArrayLike,
  upper: ArrayLike,
  body: (i: NdArray, val: T) => T,
  init: T,
  ...args: OptArgs<[], ForiLoopOptions>
): T {
  foriLoopOptions.parse(args);
  lower = loopBound(lower, "lower");
  upper = loopBound(upper, "upper");
  checkCallable("foriLoop", body);
  if (typeof lower === "number" && typeof upper === "number") {
    const n = Math.max(0, upper - lower);
    const [[, out]] = scan(
      ([i, val]: [NdArray, T], _x: null) => [[add(i, scalarLike(1, i)), body(i, val)] as [NdArray, T], null] as const,
      [asArray(lower, "int32"), init] as [NdArray, T],
      null,
      n,
    );
    return out;
  }
  const lo = convert(asArray(lower), "int32");
  const hi = convert(asArray(upper), "int32");
  const [, , out] = whileLoop(
    ([i, h]: [NdArray, NdArray, T]) => lt(i, h),
    ([i, h, val]: [NdArray, NdArray, T]) => [add(i, scalarLike(1, i)), h, body(i, val)] as [NdArray, NdArray, T],
    [lo, hi, init] as [NdArray, NdArray, T],
  );
  return out;
}
