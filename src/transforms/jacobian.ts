/** jacfwd, jacrev and hessian, built from vmap over jvp / vjp with basis vectors. */
import { NdArray } from "../core/array.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { eye } from "../numpy/creation.js";
import { reshape } from "../primitives/structural.js";
import { convert } from "../primitives/elementwise.js";
import { moveAxis } from "../primitives/batching.js";
import { currentTrace, Zero } from "../core/trace.js";
import { checkCallable, normalizeArgnums, splitArgs } from "./args.js";
import { jvpFlat } from "./jvp.js";
import { vjpFlat } from "./grad.js";
import { vmapFlat } from "./vmap.js";
import { zerosLikeAval } from "./zeros.js";

export interface JacobianOptions {
  argnums?: number | readonly number[];
  hasAux?: boolean;
}

/** Rows of the identity, shaped [n, ...shape], in x's dtype. */
function basis(x: NdArray): NdArray {
  const n = x.size;
  return reshape(convert(eye(n), x.dtype), [n, ...x.aval.shape]);
}

/** Assembles jac[out][in] (out leaf × in leaf blocks) into the output-of-inputs pytree. */
function assemble(
  blocks: NdArray[][],
  outTree: TreeDef,
  inTrees: TreeDef[],
  counts: number[],
  single: boolean,
): unknown {
  const perOut = blocks.map((row) => {
    let k = 0;
    const perArg = inTrees.map((t, j) => {
      const part = row.slice(k, k + counts[j]);
      k += counts[j];
      return unflatten(t, part);
    });
    return single ? perArg[0] : perArg;
  });
  return unflatten(outTree, perOut);
}

type Fn = (...args: never[]) => unknown;

function flatProblem(f: Fn, args: unknown[], argnums: number[], op: string) {
  const { leaves, rebuild, trees, counts } = splitArgs(op, args, argnums);
  const box: { outTree: TreeDef | null } = { outTree: null };
  const flat = (xs: NdArray[]): NdArray[] => {
    const [ls, def] = flatten((f as (...a: unknown[]) => unknown)(...rebuild(xs)));
    box.outTree = def;
    return ls as NdArray[];
  };
  return { leaves, trees, counts, flat, box };
}

/**
 * `jax.jacfwd`: the Jacobian by forward mode, one jvp per input element (vmapped).
 * For f: R^n → R^m the result has shape [...outShape, ...inShape].
 */
export function jacfwd(f: Fn, options: JacobianOptions = {}): (...args: unknown[]) => unknown {
  checkCallable("jacfwd", f);
  return (...args: unknown[]) => {
    const argnums = normalizeArgnums("jacfwd", options.argnums ?? 0, args.length);
    const { leaves, trees, counts, flat, box } = flatProblem(f, args, argnums, "jacfwd");
    const parent = currentTrace();
    // For each input leaf j: push its basis through jvp, batched over basis rows.
    const columns = leaves.map((x, j) => {
      const push = ([t]: NdArray[]): NdArray[] => {
        const tangents = leaves.map((l, k) => (k === j ? t : new Zero(l.aval)));
        const [, tOut] = jvpFlat(flat, leaves, tangents, currentTrace());
        return tOut.map((o) => (o instanceof Zero ? zerosLikeAval(o.aval) : o));
      };
      const [outs] = vmapFlat(push, [basis(x)], [0], x.size, 0);
      // [n_in, ...outShape] → [...outShape, ...inShape]
      return outs.map((o) => {
        const moved = moveAxis(o, 0, o.ndim - 1);
        return reshape(moved, [...o.aval.shape.slice(1), ...x.aval.shape]);
      });
    });
    void parent;
    const blocks = columns[0].map((_, i) => columns.map((col) => col[i]));
    return assemble(blocks, box.outTree!, trees, counts, typeof (options.argnums ?? 0) === "number");
  };
}

/**
 * `jax.jacrev`: the Jacobian by reverse mode, one vjp per output element (vmapped).
 */
export function jacrev(f: Fn, options: JacobianOptions = {}): (...args: unknown[]) => unknown {
  checkCallable("jacrev", f);
  return (...args: unknown[]) => {
    const argnums = normalizeArgnums("jacrev", options.argnums ?? 0, args.length);
    const { leaves, trees, counts, flat, box } = flatProblem(f, args, argnums, "jacrev");
    const [outs, backward] = vjpFlat(flat, leaves);
    const blocks = outs.map((y, i) => {
      const pull = ([ct]: NdArray[]): NdArray[] => {
        const cts = outs.map((o, k) => (k === i ? ct : new Zero(o.aval)));
        return backward(cts).map((c) => (c instanceof Zero ? zerosLikeAval(c.aval) : c));
      };
      const [rows] = vmapFlat(pull, [basis(y)], [0], y.size, 0);
      // [n_out, ...inShape] → [...outShape, ...inShape]
      return rows.map((r, j) => reshape(r, [...y.aval.shape, ...leaves[j].aval.shape]));
    });
    return assemble(blocks, box.outTree!, trees, counts, typeof (options.argnums ?? 0) === "number");
  };
}

/** `jax.hessian = jacfwd(jacrev(f))`. */
export function hessian(f: Fn, options: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return jacfwd(jacrev(f, options) as Fn, options);
}
