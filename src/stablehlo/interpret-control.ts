/**
 * StableHLO ops with regions, and calls: reduce, reduce_window, sort, while, case, if,
 * call / func.call, custom_call. A reducer that is a known monoid runs as one reduction
 * primitive; any other reducer body runs elementwise under vmap, folded along the reduced
 * elements by a scan (so argmax-style variadic reductions work, and differentiate).
 */
import type { NdArray } from "../core/array.js";
import { Tracer } from "../core/trace.js";
import { bind1, type Params } from "../core/trace.js";
import type { Primitive } from "../core/primitive.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { broadcastInDim, reshape, transpose } from "../primitives/structural.js";
import { reduceSum, reduceMaxP, reduceMinP, reduceProdP, reduceAndP, reduceOrP } from "../primitives/reduce.js";
import { reduceWindow, selectAndScatterAdd, type WindowParams } from "../primitives/conv.js";
import { sort } from "../primitives/sort.js";
import { vmap } from "../transforms/vmap-api.js";
import * as lax from "../lax/index.js";
import { cond, scan, switchCase, whileLoop } from "../control/api.js";
import type { Op, Region } from "./parse-ops.js";
import { attr, int, ints, opError, type Ctx, type Handler } from "./interpret-util.js";
import { iota } from "../primitives/iota.js";
import { slice } from "../primitives/slicing.js";
import { comparator, comparatorDirection, monoid, opMonoid } from "./interpret-regions.js";
import { wordOf } from "./parse-attrs.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const REDUCERS: Record<string, Primitive> = {
  mul: reduceProdP,
  max: reduceMaxP,
  min: reduceMinP,
  and: reduceAndP,
  or: reduceOrP,
};
const COMBINE: Record<string, (a: NdArray, b: NdArray) => NdArray> = {
  add: ew.add,
  mul: ew.mul,
  max: ew.max,
  min: ew.min,
  and: ew.and,
  or: ew.or,
};

/** The reduction of x over `axes` by a monoid, then combined with the init value (StableHLO folds init in). */
function reduceMonoid(m: string, x: NdArray, init: NdArray, axes: number[]): NdArray | null {
  if ((m === "and" || m === "or") && x.dtype !== "bool") return null;
  const sorted = [...axes].sort((a, b) => a - b);
  const r = m === "add" ? reduceSum(x, sorted) : bind1(REDUCERS[m], [x], { axes: sorted } as Params);
  return COMBINE[m](r, broadcastInDim(init, r.shape, []));
}

/** Any reducer: elements of the reduced axes folded one by one into the accumulators, the body vmapped over the rest. */
function reduceGeneral(ctx: Ctx, body: Region, xs: NdArray[], inits: NdArray[], axes: number[]): NdArray[] {
  const x0 = xs[0];
  const rest = range(x0.ndim).filter((a) => !axes.includes(a));
  const restShape = rest.map((a) => x0.shape[a]);
  const n = axes.reduce((p, a) => p * x0.shape[a], 1);
  const m = restShape.reduce((p, d) => p * d, 1);
  const rows = xs.map((x) => reshape(transpose(x, [...axes, ...rest]), [n, m]));
  const accs = inits.map((i) => broadcastInDim(i, [m], []));
  const step = vmap((...vals: NdArray[]) => ctx.region(body, vals));
  const [out] = scan((carry: NdArray[], row: NdArray[]) => [step(...carry, ...row) as NdArray[], null], accs, rows) as [
    NdArray[],
    unknown,
  ];
  return out.map((o) => reshape(o, restShape));
}

function reduceOp(op: Op, args: NdArray[], ctx: Ctx): NdArray[] {
  const k = args.length / 2;
  const xs = args.slice(0, k);
  const inits = args.slice(k);
  const axes = ints(op, ["dimensions"]);
  const m = opMonoid(op);
  if (k === 1 && m !== null) {
    const r = reduceMonoid(m, xs[0], inits[0], axes);
    if (r) return [r];
  }
  const body = op.regions[0];
  if (body === undefined)
    throw opError(
      op,
      "the reducer is not supported",
      ": expected a region or applies stablehlo.add/multiply/maximum/minimum/and/or.",
    );
  return reduceGeneral(ctx, body, xs, inits, axes);
}

/** The value of a scalar known now (a constant), or null for a traced one. */
function known(x: NdArray): number | null {
  if (x instanceof Tracer || x.size !== 1) return null;
  return x.dataSync()[0];
}

const IDENTITY: Record<string, number> = { add: 0, max: -Infinity, min: Infinity };

function windowParams(op: Op, nd: number): WindowParams {
  const pads = ints(op, ["padding"], new Array<number>(2 * nd).fill(0));
  return {
    windowDimensions: ints(op, ["window_dimensions"]),
    windowStrides: ints(op, ["window_strides"], new Array<number>(nd).fill(1)),
    padding: range(nd).map((d) => [pads[2 * d], pads[2 * d + 1]] as [number, number]),
    baseDilation: ints(op, ["base_dilations"], new Array<number>(nd).fill(1)),
    windowDilation: ints(op, ["window_dilations"], new Array<number>(nd).fill(1)),
  };
}

/**
 * reduce_window by add, max or min. Every window's value is folded with init once; padding
 * and base-dilation holes hold init too, which the primitive's identity padding matches only
 * when init is the identity.
 */
function reduceWindowOp(op: Op, args: NdArray[], ctx: Ctx): NdArray[] {
  const [x, init] = args;
  const m = opMonoid(op);
  const id = m === null ? undefined : IDENTITY[m];
  const p = windowParams(op, x.ndim);
  const plain = p.padding.every(([lo, hi]) => lo === 0 && hi === 0) && p.baseDilation.every((d) => d === 1);
  const initValue = known(init);
  const isFloat = x.dtype === "float32" || x.dtype === "float64";
  if (args.length === 2 && id !== undefined && (plain || (isFloat && initValue === id))) {
    const r = reduceWindow(m === "add" ? "sum" : (m as "max" | "min"), x, p);
    return [initValue === id ? r : COMBINE[m!](r, broadcastInDim(init, r.shape, []))];
  }
  const body = op.regions[0];
  if (args.length === 2 && body !== undefined) {
    // Any other body: each window folded from init, as XLA does (lax.reduceWindow's general path).
    return [
      lax.reduceWindow(
        x,
        init,
        (a, b) => ctx.region(body, [a, b])[0],
        p.windowDimensions,
        p.windowStrides,
        p.padding,
        p.baseDilation,
        p.windowDilation,
      ),
    ];
  }
  throw opError(
    op,
    "this reduce_window is not supported",
    ": expected one operand and its init value, with a reducer region.",
  );
}

/** select_and_scatter with a GE (LE) select and an add scatter from 0: the gradient of a max (min) pool. */
function selectAndScatterOp(op: Op, [x, source, init]: NdArray[]): NdArray[] {
  const [sel, sc] = op.regions;
  const cmp = sel?.ops.find((o) => o.name === "stablehlo.compare");
  const dir = cmp ? comparatorDirection(cmp) : null;
  if ((dir !== "GE" && dir !== "LE") || monoid(sc) !== "add" || known(init) !== 0) {
    throw opError(
      op,
      "this select_and_scatter is not supported",
      ": expected a GE or LE select and an add scatter from 0.",
    );
  }
  return [selectAndScatterAdd(source, x, dir === "GE" ? "max" : "min", windowParams(op, x.ndim))];
}

/** Keys that sort in the reverse order: negated floats, complemented integers. */
const reverseKey = (x: NdArray): NdArray => (x.dtype === "float32" || x.dtype === "float64" ? un.neg(x) : un.not(x));

function sortOp(op: Op, xs: NdArray[]): NdArray[] {
  const dim = attr(op, "dimension");
  const d = dim?.kind === "int" ? (dim.value < 0 ? dim.value + xs[0].ndim : dim.value) : xs[0].ndim - 1;
  const { numKeys, descending } = comparator(op.regions[0] ?? { args: [], ops: [] });
  if (!descending) return sort(xs, { dimension: d, numKeys });
  const keyed = xs.map((x, i) => (i < numKeys ? reverseKey(x) : x));
  return sort(keyed, { dimension: d, numKeys }).map((x, i) => (i < numKeys ? reverseKey(x) : x));
}

/** chlo.top_k: the k largest along the last axis, and their indices (ties: the lower index first, as a stable sort of the reversed keys gives). */
function topK(op: Op, [x]: NdArray[]): NdArray[] {
  const k = int(op, ["k"]);
  const d = x.ndim - 1;
  const [keys, order] = sort([reverseKey(x), iota("int32", x.shape, d)], { dimension: d, numKeys: 1 });
  const cut = (a: NdArray) =>
    slice(a, {
      startIndices: new Array<number>(x.ndim).fill(0),
      limitIndices: [...x.shape.slice(0, -1), k],
      strides: new Array<number>(x.ndim).fill(1),
    });
  return [reverseKey(cut(keys)), cut(order)];
}

/** The value of a scalar `stablehlo.constant` defined in region r, or null. */
function regionConstant(r: Region, name: string): number | null {
  const def = r.ops.find((o) => o.results[0] === name);
  const lit =
    def?.name === "stablehlo.constant" ? (def.words.find((w) => w.kind === "dense") ?? attr(def, "value")) : undefined;
  if (lit?.kind !== "dense" || lit.content.kind !== "values" || lit.content.values.length !== 1) return null;
  const v = Number(lit.content.values[0]);
  return Number.isInteger(v) ? v : null;
}

/**
 * The trip count of a counted loop, as JAX lowers scan and fori_loop: the condition is
 * `counter < N` (N a constant), the counter starts at a known value and the body returns
 * `counter + 1` in its place. Null for any other loop.
 */
function tripCount(condR: Region, bodyR: Region, init: NdArray[]): number | null {
  const ret = condR.ops[condR.ops.length - 1];
  const cmp = condR.ops.find((o) => o.results[0] === ret?.operands[0]);
  if (cmp?.name !== "stablehlo.compare" || comparatorDirection(cmp) !== "LT") return null;
  const k = condR.args.findIndex((a) => a.name === cmp.operands[0]);
  const limit = regionConstant(condR, cmp.operands[1]);
  const start = k >= 0 ? known(init[k]) : null;
  if (k < 0 || limit === null || start === null) return null;
  const bodyRet = bodyR.ops[bodyR.ops.length - 1];
  const next = bodyR.ops.find((o) => o.results[0] === bodyRet?.operands[k]);
  if (next?.name !== "stablehlo.add" || !next.operands.includes(bodyR.args[k]?.name)) return null;
  const step = next.operands.find((v) => v !== bodyR.args[k].name) ?? bodyR.args[k].name;
  if (regionConstant(bodyR, step) !== 1) return null;
  return Math.max(0, limit - start);
}

/**
 * while. A counted loop (JAX's scan and fori_loop) runs as lax.scan over its trip count, so
 * reverse mode differentiates it; any other loop runs as lax.whileLoop (forward mode only, as in JAX).
 */
function whileOp(op: Op, init: NdArray[], ctx: Ctx): NdArray[] {
  const [condR, bodyR] = op.regions;
  if (!condR || !bodyR) throw opError(op, "a while needs cond and body regions", ".");
  const n = tripCount(condR, bodyR, init);
  if (n !== null) {
    const [out] = scan((carry: NdArray[]) => [ctx.region(bodyR, carry), null], init, null, n) as [NdArray[], unknown];
    return out;
  }
  return whileLoop(
    (carry: NdArray[]) => ctx.region(condR, carry)[0],
    (carry: NdArray[]) => ctx.region(bodyR, carry),
    init,
  );
}

/** StableHLO's case runs the last branch for an index out of range. */
function caseOp(op: Op, [index]: NdArray[], ctx: Ctx): NdArray[] {
  const n = op.regions.length;
  const i = ew.convert(index, "int32");
  const last = ew.scalarLike(n - 1, i);
  const bad = ew.or(ew.lt(i, ew.scalarLike(0, i)), ew.gt(i, last));
  const idx = ew.selectN(bad, [i, last]);
  const branches = op.regions.map((r) => () => ctx.region(r, []));
  return switchCase(idx, branches) as NdArray[];
}

function ifOp(op: Op, [pred]: NdArray[], ctx: Ctx): NdArray[] {
  const [t, f] = op.regions;
  return cond(
    pred,
    () => ctx.region(t, []),
    () => ctx.region(f, []),
  ) as NdArray[];
}

function callee(op: Op): string {
  const sym = op.words.find((w) => w.kind === "symbol") ?? attr(op, "callee", "call_target_name");
  const name = wordOf(sym);
  if (name === null) throw opError(op, "no callee", ": expected @name.");
  return name;
}

/** custom_call targets that do not compute (test assertions, sharding annotations): passed through. */
const PASS_THROUGH = new Set(["Sharding", "SPMDFullToShardShape", "SPMDShardToFullShape", "annotate_device_placement"]);

function customCall(op: Op, args: NdArray[], ctx: Ctx): NdArray[] {
  const target = callee(op);
  if (target.startsWith("check.")) return [];
  if (PASS_THROUGH.has(target) && args.length === op.results.length) return args;
  const known = ctx.customCalls[target];
  if (known) return known(op, args);
  throw opError(
    op,
    `custom_call target "${target}" is not supported`,
    `: got @${target}, expected one of ${[...Object.keys(ctx.customCalls), ...PASS_THROUGH].join(", ")} or a check.* assertion. Export the function without the operation that needs this library call.`,
  );
}

export const CONTROL: Record<string, Handler> = {
  "stablehlo.reduce": reduceOp,
  "stablehlo.reduce_window": reduceWindowOp,
  "stablehlo.select_and_scatter": (op, args) => selectAndScatterOp(op, args),
  "stablehlo.sort": (op, xs) => sortOp(op, xs),
  "chlo.top_k": (op, xs) => topK(op, xs),
  "stablehlo.while": whileOp,
  "stablehlo.case": caseOp,
  "stablehlo.if": ifOp,
  call: (op, args, ctx) => ctx.call(callee(op), args, op),
  "func.call": (op, args, ctx) => ctx.call(callee(op), args, op),
  "stablehlo.custom_call": customCall,
};
