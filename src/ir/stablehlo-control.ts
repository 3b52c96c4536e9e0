/**
 * StableHLO lowerings of the higher-order primitives, as JAX lowers them: cond → `stablehlo.case`,
 * while → `stablehlo.while` (constants carried in the loop state), scan → a `stablehlo.while`
 * over a step counter that slices the xs and writes the ys with dynamic (update) slices,
 * pjit → a private function and a `call`, custom rules and checkpoints → their primal, in place.
 */
import { ShapedArray } from "../core/aval.js";
import type { ClosedJaxpr, Jaxpr } from "./jaxpr.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";

/** A closed jaxpr's equations, in place: its constants as dense constants, then its equations. */
export function lowerClosed(c: StableHloEmitter, closed: ClosedJaxpr, args: string[]): string[] {
  return c.lowerJaxpr(
    closed.jaxpr,
    closed.consts.map((x) => c.arrayConstant(x)),
    args,
  );
}

/** A jaxpr whose constants are leading inputs (pjit, custom calls, checkpoint), in place. */
export function lowerInline(c: StableHloEmitter, jaxpr: Jaxpr, args: string[]): string[] {
  return c.lowerJaxpr(jaxpr, [], args);
}

/** pjit: `call @name(...)` of a private function holding the jaxpr (one per jaxpr). */
export function lowerPjit(c: StableHloEmitter, args: string[], jaxpr: Jaxpr, name: string): string[] {
  const ins = jaxpr.inAvals;
  const outs = jaxpr.outAvals;
  const fn = c.privateFunc(jaxpr, name, ins, outs, (a) => c.lowerJaxpr(jaxpr, [], a));
  return c.call(fn, args, ins, outs);
}

/** cond(index, *ops): `"stablehlo.case"(%index) ({ branch 0 }, { branch 1 }, ...)`. */
export function lowerCond(c: StableHloEmitter, [index, ...ops]: string[], branches: ClosedJaxpr[]): string[] {
  const outs = c.outAvals;
  const idx = c.inAvals[0];
  const i32 = idx.dtype === "int32" ? index : c.convert(index, idx, "int32");
  return c.generic(
    "stablehlo.case",
    [i32],
    [new ShapedArray(idx.shape, "int32")],
    outs,
    "",
    branches.map((b) => () => c.region([], outs, () => lowerClosed(c, b, ops), [])),
  );
}

/**
 * `%r:n = stablehlo.while(%iterArg = %a, ...) : types cond { ... } do { ... }`, the regions
 * written by `cond` and `body` on the iteration arguments.
 */
export function emitWhile(
  c: StableHloEmitter,
  init: string[],
  avals: ShapedArray[],
  cond: (args: string[]) => string,
  body: (args: string[]) => string[],
): string[] {
  const r = c.results(init.length);
  const names = c.iterArgs(init.length);
  const bool = new ShapedArray([], "bool");
  const condRegion = c.region(avals, [bool], (a) => [cond(a)], names);
  const bodyRegion = c.region(avals, avals, body, names);
  const pairs = names.map((n, i) => `${n} = ${init[i]}`).join(", ");
  c.line(`${r.lhs} = stablehlo.while(${pairs}) : ${c.types(avals)}\ncond ${condRegion} do ${bodyRegion}`);
  return r.names;
}

/** while(cond consts, body consts, carry): the constants ride along in the loop state, as JAX lowers it. */
export function lowerWhile(
  c: StableHloEmitter,
  ops: string[],
  p: { cond: ClosedJaxpr; body: ClosedJaxpr; numCondConsts: number; numBodyConsts: number },
): string[] {
  const nc = p.numCondConsts;
  const nb = p.numBodyConsts;
  const avals = c.inAvals.map((a) => a.withWeak(false));
  const outs = emitWhile(
    c,
    ops,
    avals,
    (a) => lowerClosed(c, p.cond, [...a.slice(0, nc), ...a.slice(nc + nb)])[0],
    (a) => [...a.slice(0, nc + nb), ...lowerClosed(c, p.body, [...a.slice(nc, nc + nb), ...a.slice(nc + nb)])],
  );
  return outs.slice(nc + nb);
}

/** The parameters of scan. */
export interface ScanSpec {
  body: ClosedJaxpr;
  numConsts: number;
  numCarry: number;
  length: number;
  reverse: boolean;
}

/**
 * scan as JAX's `_scan_impl` lowers it: a while over (i, consts, carry, xs, ys) while i < length;
 * each step reads row i (length-1-i reversed) of every x with a dynamic_slice, runs the body,
 * and writes its y rows with dynamic_update_slice into buffers that start as zeros.
 */
export function lowerScan(c: StableHloEmitter, ops: string[], p: ScanSpec): string[] {
  const { numConsts: nk, numCarry: nc, length } = p;
  const inAvals = c.inAvals.map((a) => a.withWeak(false));
  const outAvals = c.outAvals.map((a) => a.withWeak(false));
  const xAvals = inAvals.slice(nk + nc);
  const yAvals = outAvals.slice(nc);
  const i32 = new ShapedArray([], "int32");
  const zero = c.constant(0, i32);
  const ys = yAvals.map((a) => c.constant(0, a));
  const avals = [i32, ...inAvals, ...yAvals];
  const nx = xAvals.length;
  const outs = emitWhile(
    c,
    [zero, ...ops, ...ys],
    avals,
    ([i]) => c.compare("LT", i, c.constant(length, i32), i32),
    ([i, ...rest]) => {
      const consts = rest.slice(0, nk);
      const carry = rest.slice(nk, nk + nc);
      const xs = rest.slice(nk + nc, nk + nc + nx);
      const bufs = rest.slice(nk + nc + nx);
      const at = p.reverse ? c.binary("subtract", c.constant(length - 1, i32), i, i32) : i;
      const rows = xs.map((x, k) => row(c, x, xAvals[k], at));
      const res = lowerClosed(c, p.body, [...consts, ...carry, ...rows]);
      const written = res.slice(nc).map((y, k) => writeRow(c, bufs[k], yAvals[k], y, at));
      const next = c.binary("add", i, c.constant(1, i32), i32);
      return [next, ...consts, ...res.slice(0, nc), ...xs, ...written];
    },
  );
  return [...outs.slice(1 + nk, 1 + nk + nc), ...outs.slice(1 + nk + nc + nx)];
}

/** Row `i` of stacked `x`: `dynamic_slice` of one row, reshaped without the leading axis. */
function row(c: StableHloEmitter, x: string, a: ShapedArray, i: string): string {
  const zeros = a.shape.slice(1).map(() => c.constant(0, new ShapedArray([], "int32")));
  const one = a.withShape([1, ...a.shape.slice(1)]);
  const idx = [i, ...zeros];
  const sliced = c.op(
    `stablehlo.dynamic_slice ${x}, ${idx.join(", ")}, sizes = [${one.shape.join(", ")}] : ` +
      c.fnType([a, ...idx.map(() => new ShapedArray([], "int32"))], [one]),
  )[0];
  return c.reshape(sliced, one, a.withShape(a.shape.slice(1)));
}

/** `buf` with row `i` replaced by `y`: `dynamic_update_slice`. */
function writeRow(c: StableHloEmitter, buf: string, a: ShapedArray, y: string, i: string): string {
  const one = a.withShape([1, ...a.shape.slice(1)]);
  const y1 = c.reshape(y, a.withShape(a.shape.slice(1)), one);
  const zeros = a.shape.slice(1).map(() => c.constant(0, new ShapedArray([], "int32")));
  const idx = [i, ...zeros];
  const sig = c.fnType([a, one, ...idx.map(() => new ShapedArray([], "int32"))], [a]);
  return c.op(`stablehlo.dynamic_update_slice ${buf}, ${y1}, ${idx.join(", ")} : ${sig}`)[0];
}
