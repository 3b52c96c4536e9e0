/**
 * `Exported`: a staged program with its pytree structure, as `jax.export.Exported`.
 * Written out as StableHLO text (`mlirModule`), or called (as one pjit call, so
 * grad, vmap and jit see through it).
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { DTypeError, ShapeError, TreeMismatchError } from "../core/errors.js";
import { ClosedJaxpr, Jaxpr } from "../ir/jaxpr.js";
import { emitModule } from "../ir/stablehlo-module.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { compileProgram } from "../compile/program.js";
import { bindPjit } from "../transforms/jit.js";
import { leafToArray } from "../transforms/args.js";
import { asArray } from "../primitives/as-array.js";

/** What an `Exported` is made of: the function's name, its closed jaxpr, and its input and output pytrees. */
export interface ExportedParts {
  fnName: string;
  jaxpr: ClosedJaxpr;
  inTree: TreeDef;
  outTree: TreeDef;
}

/**
 * A program exported for other runtimes, as `jax.export.Exported`: its input and output
 * avals and pytrees, its StableHLO text (`mlirModule()`), and `call`, which runs it.
 *
 * @example
 * const exp = stablehlo.export((x: Array) => np.sin(x), np.ones([3]));
 * exp.inAvals[0].toString(); // "f32[3]"
 * exp.mlirModule().startsWith("module @jit_"); // true
 * exp.call(np.zeros([3])); // Array [0, 0, 0]
 */
export class Exported {
  readonly fnName: string;
  readonly inTree: TreeDef;
  readonly outTree: TreeDef;
  readonly inAvals: ShapedArray[];
  readonly outAvals: ShapedArray[];
  /** The closed jaxpr behind the export. */
  readonly jaxpr: ClosedJaxpr;
  private text: string | null = null;
  private program: { jaxpr: Jaxpr; compiled: Jaxpr } | null = null;

  constructor(parts: ExportedParts) {
    this.fnName = parts.fnName;
    this.jaxpr = parts.jaxpr;
    this.inTree = parts.inTree;
    this.outTree = parts.outTree;
    this.inAvals = parts.jaxpr.inAvals;
    this.outAvals = parts.jaxpr.outAvals;
  }

  /** The StableHLO module (MLIR text) that `jax.export` would emit for this program: deterministic. */
  mlirModule(): string {
    this.text ??= emitModule(this.fnName, this.jaxpr, resultInfo(this.outTree));
    return this.text;
  }

  /**
   * Runs the program on arguments shaped as `inTree` and `inAvals` say, as `Exported.call`;
   * bound as one pjit call, so `grad`, `vmap` and `jit` compose with it.
   */
  call(...args: unknown[]): unknown {
    const [leaves, tree] = flatten(args);
    if (!tree.equals(this.inTree)) {
      throw new TreeMismatchError(
        `[Exported.call] the arguments' pytree structure differs from the exported one: got ${tree}, expected ${this.inTree}.`,
      );
    }
    const arrays = leaves.map((l, i) => this.argument(l, i));
    if (this.program === null) {
      const j = this.jaxpr.jaxpr;
      const opened = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
      this.program = { jaxpr: opened, compiled: compileProgram(opened) };
    }
    const outs = bindPjit(this.program.jaxpr, this.program.compiled, this.jaxpr.consts, arrays, this.fnName);
    return unflatten(this.outTree, outs);
  }

  /** Argument leaf `i` as an array of the exported shape and dtype (JS numbers take the exported dtype). */
  private argument(leaf: unknown, i: number): NdArray {
    const want = this.inAvals[i];
    const x =
      typeof leaf === "number" || typeof leaf === "boolean"
        ? asArray(leaf, want.dtype, "Exported.call")
        : leafToArray(leaf, "Exported.call", `argument leaf ${i}`);
    if (x.shape.length !== want.shape.length || x.shape.some((d, k) => d !== want.shape[k])) {
      throw new ShapeError(
        `[Exported.call] argument leaf ${i} has shape [${x.shape.join(", ")}]: expected [${want.shape.join(", ")}], the exported shape. Export again for other shapes.`,
      );
    }
    if (x.dtype !== want.dtype) {
      throw new DTypeError(
        `[Exported.call] argument leaf ${i} has dtype ${x.dtype}: expected ${want.dtype}, the exported dtype. Convert it with astype.`,
      );
    }
    return x;
  }
}

/** JAX's `jax.result_info` of each output leaf: its key path under `result` (`result[0]`, `result['w']`). */
function resultInfo(tree: TreeDef): string[] {
  const out: string[] = [];
  const walk = (t: TreeDef, path: string): void => {
    if (t.kind === "leaf") out.push(path);
    else if (t.kind === "object") t.children.forEach((c, i) => walk(c, `${path}['${(t.meta as string[])[i]}']`));
    else t.children.forEach((c, i) => walk(c, `${path}[${i}]`));
  };
  walk(tree, "result");
  return out;
}
