/**
 * dot_general: contraction over paired axes with batch axes, as XLA's DotGeneral.
 * Output axes: batch axes, then lhs free axes, then rhs free axes.
 */
import { ShapedArray, shapeStr } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { ShapeError, DTypeError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { bind1, Zero, type MaybeZero } from "../core/trace.js";
import { moveAxis } from "./batching.js";
import { add } from "./elementwise.js";
import { transpose } from "./structural.js";
import { range } from "./shapes.js";
import { intList } from "../ir/stablehlo-text.js";

export interface DotParams {
  /** [lhs contracting axes, rhs contracting axes] */
  contracting: [number[], number[]];
  /** [lhs batch axes, rhs batch axes] */
  batch: [number[], number[]];
}

const freeAxes = (ndim: number, contracting: number[], batch: number[]): number[] =>
  range(ndim).filter((i) => !contracting.includes(i) && !batch.includes(i));

export const dotGeneralP: Primitive = definePrimitive<DotParams>({
  name: "dot_general",
  abstractEval([l, r], { contracting: [lc, rc], batch: [lb, rb] }) {
    if (l.dtype !== r.dtype) {
      throw new DTypeError(
        `[dot_general] operands must share a dtype: got ${l.str()} and ${r.str()}, expected equal dtypes.`,
      );
    }
    const pairsOk = (a: number[], b: number[]) =>
      a.length === b.length && a.every((i, k) => l.shape[i] === r.shape[b[k]]);
    if (!pairsOk(lc, rc) || !pairsOk(lb, rb)) {
      throw new ShapeError(
        `[dot_general] contracting or batch axes do not match: got ${l.str()} and ${r.str()} with contracting ` +
          `${shapeStr(lc)}/${shapeStr(rc)} and batch ${shapeStr(lb)}/${shapeStr(rb)}, expected paired axes of equal size.`,
      );
    }
    const shape = [
      ...lb.map((i) => l.shape[i]),
      ...freeAxes(l.ndim, lc, lb).map((i) => l.shape[i]),
      ...freeAxes(r.ndim, rc, rb).map((i) => r.shape[i]),
    ];
    return new ShapedArray(shape, l.dtype, l.weakType && r.weakType);
  },
  lower: (_avals, { contracting, batch }) => ({ name: "dot_general", contracting, batch }),
  jvp([l, r], [tl, tr], p) {
    const out = dotGeneral(l, r, p);
    let t: MaybeZero = new Zero(out.aval);
    if (!(tl instanceof Zero)) t = dotGeneral(tl, r, p);
    if (!(tr instanceof Zero)) {
      const term = dotGeneral(l, tr, p);
      t = t instanceof Zero ? term : add(t, term);
    }
    return [out, t];
  },
  transpose(ct, [l, r], p) {
    if (l instanceof UndefinedPrimal && r instanceof UndefinedPrimal) {
      throw new Error("[transpose] dot_general of two tangents is not linear");
    }
    if (l instanceof UndefinedPrimal) return [transposeLhs(ct, r as NdArray, l.aval.ndim, p), null];
    return [null, transposeRhs(ct, l as NdArray, (r as UndefinedPrimal).aval.ndim, p)];
  },
  vmap([l, r], [dl, dr], p) {
    const [lc, rc] = p.contracting;
    const [lb, rb] = p.batch;
    const shift = (axes: number[]) => axes.map((a) => a + 1);
    if (dl !== null && dr !== null) {
      const out = dotGeneral(moveAxis(l, dl, 0), moveAxis(r, dr, 0), {
        contracting: [shift(lc), shift(rc)],
        batch: [
          [0, ...shift(lb)],
          [0, ...shift(rb)],
        ],
      });
      return [out, 0];
    }
    if (dl !== null) {
      const lm = moveAxis(l, dl, 0);
      const out = dotGeneral(lm, r, { contracting: [shift(lc), rc], batch: [shift(lb), rb] });
      return [out, lb.length]; // axis 0 is the first lhs free axis
    }
    const rm = moveAxis(r, dr!, 0);
    const out = dotGeneral(l, rm, { contracting: [lc, shift(rc)], batch: [lb, shift(rb)] });
    return [out, lb.length + freeAxes(l.ndim, lc, lb).length];
  },
  printParams: ({ contracting, batch }) => ({
    dimension_numbers: [
      [contracting[0], contracting[1]],
      [batch[0], batch[1]],
    ],
    precision: null,
    preferred_element_type: null,
  }),
  stablehlo: (c, [l, r], { contracting, batch }) => {
    const pair = (name: string, [a, b]: [number[], number[]]) =>
      a.length === 0 ? [] : [`${name} = ${intList(a)} x ${intList(b)}`];
    const dims = [...pair("batching_dims", batch), ...pair("contracting_dims", contracting)];
    const attrs = [...dims, "precision = [DEFAULT, DEFAULT]"].join(", ");
    return c.op(`stablehlo.dot_general ${l}, ${r}, ${attrs} : ${c.fnType(c.inAvals, c.outAvals)}`)[0];
  },
});

export function dotGeneral(l: NdArray, r: NdArray, p: DotParams): NdArray {
  return bind1(dotGeneralP as Primitive, [l, r], p as never);
}

/**
 * ct_lhs = dot_general(ct, rhs) contracting rhs's free axes, then permuted back
 * into lhs's axis order (batch, free, contracting positions).
 */
function transposeLhs(ct: NdArray, r: NdArray, lNdim: number, p: DotParams): NdArray {
  const [lc, rc] = p.contracting;
  const [lb, rb] = p.batch;
  const nb = lb.length;
  const lFree = freeAxes(lNdim, lc, lb);
  const rFree = freeAxes(r.ndim, rc, rb);
  const ctRFree = rFree.map((_, k) => nb + lFree.length + k);
  const res = dotGeneral(ct, r, { contracting: [ctRFree, rFree], batch: [range(nb), rb] });
  // res axes: batch (lb order), lhs free, then r's remaining axes = rc sorted ascending.
  const rcSorted = [...rc].sort((a, b) => a - b);
  const resAxisOfL = new Array<number>(lNdim);
  lb.forEach((a, k) => (resAxisOfL[a] = k));
  lFree.forEach((a, k) => (resAxisOfL[a] = nb + k));
  rcSorted.forEach((ra, k) => (resAxisOfL[lc[rc.indexOf(ra)]] = nb + lFree.length + k));
  return transpose(res, resAxisOfL);
}

function transposeRhs(ct: NdArray, l: NdArray, rNdim: number, p: DotParams): NdArray {
  const [lc, rc] = p.contracting;
  const [lb, rb] = p.batch;
  const nb = lb.length;
  const lFree = freeAxes(l.ndim, lc, lb);
  const rFree = freeAxes(rNdim, rc, rb);
  const ctLFree = lFree.map((_, k) => nb + k);
  const res = dotGeneral(ct, l, { contracting: [ctLFree, lFree], batch: [range(nb), lb] });
  // res axes: batch (rb order), rhs free, then l's remaining axes = lc sorted ascending.
  const lcSorted = [...lc].sort((a, b) => a - b);
  const resAxisOfR = new Array<number>(rNdim);
  rb.forEach((a, k) => (resAxisOfR[a] = k));
  rFree.forEach((a, k) => (resAxisOfR[a] = nb + k));
  lcSorted.forEach((la, k) => (resAxisOfR[rc[lc.indexOf(la)]] = nb + rFree.length + k));
  return transpose(res, resAxisOfR);
}
