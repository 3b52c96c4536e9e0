/**
 * Cumulative reductions along one axis: cumsum (linear), and cumprod, cummax,
 * cummin, whose derivatives come from differentiating an associative scan
 * written with differentiable primitives (exact at zeros and ties).
 */
import { shapeStr } from "../core/aval.js";
import { AxisError } from "../core/errors.js";
import type { NdArray } from "../core/array.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1, currentTrace } from "../core/trace.js";
import { jvpFlat } from "../interpreters/jvp.js";
import type { CumulativeOp } from "../kernel/routines.js";
import { moveAxis } from "./batching.js";
import { max, min, mul } from "./elementwise.js";
import { padAxis, sliceAxis, rev } from "./slicing.js";
import { lowerCumulative } from "../ir/stablehlo-ops.js";

/** The monoid each cumulative reduction scans with. */
const MONOID = { cumsum: "sum", cumprod: "prod", cummax: "max", cummin: "min" } as const;

interface CumParams {
  axis: number;
  reverse: boolean;
}

/**
 * Inclusive scan by doubling (Hillis–Steele): y ← y ⊕ shift(y, 2ᵏ), where the
 * shift fills with ⊕'s identity. log₂(n) steps of differentiable primitives.
 */
function associativeScan(
  x: NdArray,
  p: CumParams,
  combine: (a: NdArray, b: NdArray) => NdArray,
  identity: number,
): NdArray {
  let y = p.reverse ? rev(x, [p.axis]) : x;
  const n = y.aval.shape[p.axis];
  for (let offset = 1; offset < n; offset *= 2) {
    const shifted = padAxis(sliceAxis(y, p.axis, 0, n - offset), p.axis, offset, 0, identity);
    y = combine(y, shifted);
  }
  return p.reverse ? rev(y, [p.axis]) : y;
}

function defineCumulative(
  name: CumulativeOp,
  lax: ((a: NdArray, b: NdArray) => NdArray) | null,
  identity: number,
): Primitive {
  const prim: Primitive = definePrimitive<CumParams>({
    name,
    abstractEval([x], p) {
      if (!Number.isInteger(p.axis) || p.axis < 0 || p.axis >= x.ndim) {
        const expected = x.ndim === 0 ? "no axis (the operand is a scalar)" : `an integer in [0, ${x.ndim})`;
        throw new AxisError(
          `[${name}] axis ${p.axis} is out of bounds for array of shape ${shapeStr(x.shape)}: expected ${expected}.`,
        );
      }
      return x;
    },
    lower: (_avals, { axis, reverse }) => ({ name: "cumulative", op: name, axis, reverse }),
    jvp:
      lax === null
        ? ([x], [t], p) => [cumulative(prim, x, p), cumulative(prim, t as NdArray, p)]
        : ([x], [t], p) => {
            const out = cumulative(prim, x, p);
            const [, [tOut]] = jvpFlat(([y]) => [associativeScan(y, p, lax, identity)], [x], [t], currentTrace());
            return [out, tOut];
          },
    transpose: lax === null ? (ct, _x, p) => [cumulative(prim, ct, { ...p, reverse: !p.reverse })] : undefined,
    vmap: ([x], [d], p) => [cumulative(prim, moveAxis(x, d!, 0), { ...p, axis: p.axis + 1 }), 0],
    stablehlo: (c, [x], { axis, reverse }) => lowerCumulative(c, MONOID[name], x, axis, reverse),
  });
  return prim;
}

function cumulative(prim: Primitive, x: NdArray, p: CumParams): NdArray {
  return bind1(prim as Primitive, [x], p as never);
}

export const cumsumP = defineCumulative("cumsum", null, 0);
export const cumprodP = defineCumulative("cumprod", mul, 1);
export const cummaxP = defineCumulative("cummax", max, -Infinity);
export const cumminP = defineCumulative("cummin", min, Infinity);

export const cumsum = (x: NdArray, axis: number, reverse = false) => cumulative(cumsumP, x, { axis, reverse });
export const cumprod = (x: NdArray, axis: number, reverse = false) => cumulative(cumprodP, x, { axis, reverse });
export const cummax = (x: NdArray, axis: number, reverse = false) => cumulative(cummaxP, x, { axis, reverse });
export const cummin = (x: NdArray, axis: number, reverse = false) => cumulative(cumminP, x, { axis, reverse });
