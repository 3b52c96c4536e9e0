/** iota: 0, 1, 2, ... along one axis of a new array. */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { AxisError, ShapeError, TransformError } from "../core/errors.js";
import type { Routine } from "../kernel/routines.js";

interface IotaParams {
  dtype: DType;
  shape: number[];
  dimension: number;
}

export const iotaP: Primitive = definePrimitive<IotaParams>({
  name: "iota",
  abstractEval(_args, { dtype, shape, dimension }) {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(`[iota] shape must hold non-negative integers: got ${JSON.stringify(shape)}.`);
    }
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length) {
      throw new AxisError(`[iota] dimension ${dimension} is out of bounds for shape ${JSON.stringify(shape)}.`);
    }
    return new ShapedArray(shape, dtype);
  },
  lower: (_avals, { dimension }): Routine => ({ name: "iota", dimension }),
  jvp: "zero",
  vmap: () => {
    throw new TransformError("[iota] has no operands to batch");
  },
  printParams: ({ dtype, shape, dimension }) => ({ dimension, dtype, shape, sharding: null }),
  stablehlo: (c, _xs, { dimension }) => c.op(`stablehlo.iota dim = ${dimension} : ${c.type(c.outAvals[0])}`)[0],
});

export function iota(dtype: DType, shape: number[], dimension: number): NdArray {
  return bind1(iotaP as Primitive, [], { dtype, shape, dimension });
}
