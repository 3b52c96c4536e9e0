/**
 * Batching: the batch trace carries (value, batch axis) pairs and applies each
 * primitive's batching rule on the parent trace. A value without a batch axis
 * (null) is the same for every example.
 */
import { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import type { BatchDim, Primitive } from "../core/primitive.js";
import { Trace, Tracer, withTrace, currentTrace, type CustomCall, type Params } from "../core/trace.js";
import { batchTo, moveAxis } from "./hooks.js";

export class BatchTracer extends Tracer {
  constructor(
    trace: BatchTrace,
    readonly val: NdArray,
    readonly batchDim: number,
  ) {
    super(trace);
  }
  override get aval(): ShapedArray {
    const a = this.val.aval;
    return new ShapedArray(
      a.shape.filter((_, i) => i !== this.batchDim),
      a.dtype,
      a.weakType,
    );
  }
}

/** Identity of one vmap: sub-traces made for custom rules share it, so closed-over tracers stay recognisable. */
export class BatchTag {}

export class BatchTrace extends Trace {
  constructor(
    readonly parent: Trace,
    readonly axisSize: number,
    readonly tag: BatchTag = new BatchTag(),
  ) {
    super();
  }

  get kind(): string {
    return "BatchTrace";
  }

  /** (value, batch axis) for a value; values of other traces are unbatched. */
  unpack(x: NdArray): [NdArray, BatchDim] {
    return x instanceof BatchTracer && (x.trace as BatchTrace).tag === this.tag ? [x.val, x.batchDim] : [x, null];
  }

  wrap(val: NdArray, dim: BatchDim): NdArray {
    return dim === null ? val : new BatchTracer(this, val, dim);
  }

  processPrimitive(prim: Primitive, args: NdArray[], params: Params): NdArray[] {
    const unpacked = args.map((a) => this.unpack(a));
    const vals = unpacked.map((u) => u[0]);
    const dims = unpacked.map((u) => u[1]);
    const parent = this.parent;
    if (dims.every((d) => d === null)) return withTrace(parent, () => parent.processPrimitive(prim, vals, params));
    if (prim.rules.customCall) return this.processCustom(prim.rules.customCall(params, vals), args);
    const [outs, outDims] = withTrace(parent, () => prim.rules.vmap(vals, dims, params, this.axisSize));
    return outs.map((o, i) => this.wrap(o, outDims[i]));
  }

  override processCustom(call: CustomCall, args: NdArray[]): NdArray[] {
    const unpacked = args.map((a) => this.unpack(a));
    const dims = unpacked.map((u) => u[1]);
    // No shortcut when nothing is batched: the call may close over batched values.
    const [outs, outDims] = call.vmap(
      this,
      unpacked.map((u) => u[0]),
      dims,
    );
    return outs.map((o, i) => this.wrap(o, outDims[i]));
  }
}

/**
 * Batches a flat function: `dims[i]` is the batch axis of args[i] (null: unbatched),
 * outputs get their batch axis at `outDims[i]` (null: must be unbatched).
 * Returns the outputs and, for each, whether it was batched.
 */
export function vmapFlat(
  f: (args: NdArray[]) => NdArray[],
  args: NdArray[],
  dims: BatchDim[],
  axisSize: number,
  outDims: (number | null)[] | number,
): [NdArray[], boolean[]] {
  const trace = new BatchTrace(currentTrace(), axisSize);
  try {
    const inputs = args.map((a, i) => trace.wrap(a, dims[i]));
    const outs = withTrace(trace, () => f(inputs));
    const batched: boolean[] = [];
    const results = outs.map((o, i) => {
      const [val, d] = trace.unpack(o);
      batched.push(d !== null);
      const target = typeof outDims === "number" ? outDims : outDims[i];
      if (target === null) return d === null ? val : moveAxis(val, d, 0);
      return batchTo(val, d, target, axisSize);
    });
    return [results, batched];
  } finally {
    trace.active = false;
  }
}
