/**
 * Pytrees: nested JS arrays, plain objects, null/undefined and registered
 * classes, with arrays and numbers (and anything else) at the leaves.
 * Plain-object keys are visited in sorted order, as JAX sorts dict keys.
 */
import { TreeMismatchError } from "../core/errors.js";

export interface NodeType<T = unknown, C = unknown> {
  /** Children (a list) and static auxiliary data. */
  flatten(value: T): [unknown[], C];
  unflatten(aux: C, children: unknown[]): T;
}

/** Registered classes, by constructor. */
const registry = new Map<abstract new (...args: never[]) => unknown, NodeType>();

/** `jax.tree_util.register_pytree_node`: instances of `cls` become inner nodes. */
export function registerNode<T, C>(cls: abstract new (...args: never[]) => T, type: NodeType<T, C>): void {
  registry.set(cls, type as NodeType);
}

type Kind = "leaf" | "none" | "array" | "object" | "custom";

export class TreeDef {
  constructor(
    readonly kind: Kind,
    readonly children: TreeDef[] = [],
    /** Object keys, custom node aux data, or the node type. */
    readonly meta: unknown = null,
    readonly nodeType: NodeType | null = null,
  ) {}

  get numLeaves(): number {
    if (this.kind === "leaf") return 1;
    return this.children.reduce((a, c) => a + c.numLeaves, 0);
  }

  equals(other: TreeDef): boolean {
    if (this.kind !== other.kind || this.children.length !== other.children.length) return false;
    if (this.kind === "object" && JSON.stringify(this.meta) !== JSON.stringify(other.meta)) return false;
    if (this.kind === "custom" && (this.nodeType !== other.nodeType || !sameAux(this.meta, other.meta))) return false;
    return this.children.every((c, i) => c.equals(other.children[i]));
  }

  /** JAX-like text: `PyTreeDef([*, {'a': *, 'b': None}])`. */
  toString(): string {
    return `PyTreeDef(${this.body()})`;
  }

  private body(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return "None";
      case "array":
        return `[${this.children.map((c) => c.body()).join(", ")}]`;
      case "object":
        return `{${(this.meta as string[]).map((k, i) => `'${k}': ${this.children[i].body()}`).join(", ")}}`;
      case "custom":
        return `CustomNode[${JSON.stringify(this.meta) ?? ""}](${this.children.map((c) => c.body()).join(", ")})`;
    }
  }
}

function sameAux(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function nodeTypeOf(x: unknown): NodeType | null {
  if (typeof x !== "object" || x === null) return null;
  let proto = Object.getPrototypeOf(x);
  while (proto && proto !== Object.prototype) {
    const t = registry.get(proto.constructor);
    if (t) return t;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

/** `isLeaf` stops the descent early, as JAX's `is_leaf`. */
export type IsLeaf = (x: unknown) => boolean;

/** `jax.tree_util.tree_flatten`: leaves in order, and the structure. */
export function flatten(tree: unknown, isLeaf?: IsLeaf): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const def = build(tree, leaves, isLeaf);
  return [leaves, def];
}

function build(x: unknown, leaves: unknown[], isLeaf?: IsLeaf): TreeDef {
  if (isLeaf?.(x)) {
    leaves.push(x);
    return LEAF;
  }
  if (x === null || x === undefined) return NONE;
  if (Array.isArray(x))
    return new TreeDef(
      "array",
      x.map((c) => build(c, leaves, isLeaf)),
    );
  const type = nodeTypeOf(x);
  if (type) {
    const [children, aux] = type.flatten(x);
    return new TreeDef(
      "custom",
      children.map((c) => build(c, leaves, isLeaf)),
      aux,
      type,
    );
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return new TreeDef(
      "object",
      keys.map((k) => build(x[k], leaves, isLeaf)),
      keys,
    );
  }
  leaves.push(x);
  return LEAF;
}

const LEAF = new TreeDef("leaf");
const NONE = new TreeDef("none");

/** `jax.tree_util.tree_unflatten`. */
export function unflatten(def: TreeDef, leaves: readonly unknown[]): unknown {
  if (leaves.length !== def.numLeaves) {
    throw new TreeMismatchError(
      `[tree.unflatten] wrong number of leaves: got ${leaves.length}, expected ${def.numLeaves} for ${def}.`,
    );
  }
  let i = 0;
  const rec = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return null;
      case "array":
        return d.children.map(rec);
      case "object": {
        const out: Record<string, unknown> = {};
        (d.meta as string[]).forEach((k, j) => (out[k] = rec(d.children[j])));
        return out;
      }
      case "custom":
        return d.nodeType!.unflatten(d.meta, d.children.map(rec));
    }
  };
  return rec(def);
}

export function leaves(tree: unknown, isLeaf?: IsLeaf): unknown[] {
  return flatten(tree, isLeaf)[0];
}

export function structure(tree: unknown, isLeaf?: IsLeaf): TreeDef {
  return flatten(tree, isLeaf)[1];
}

/** `jax.tree_util.tree_map`: `f` over the leaves of `tree` (and of `rest`, which must share its structure). */
export function map(f: (...xs: never[]) => unknown, tree: unknown, ...rest: unknown[]): unknown {
  const [ls, def] = flatten(tree);
  const others = rest.map((r) => {
    const [l, d] = flatten(r);
    if (!d.equals(def)) throw mismatch("tree.map", def, d);
    return l;
  });
  return unflatten(
    def,
    ls.map((x, i) => (f as (...a: unknown[]) => unknown)(x, ...others.map((o) => o[i]))),
  );
}

export function mismatch(op: string, expected: TreeDef, got: TreeDef, what = "pytree"): TreeMismatchError {
  return new TreeMismatchError(
    `[${op}] ${what} structure mismatch: got ${got}, expected ${expected}. Pass values with the same nesting of arrays and object keys.`,
  );
}

/**
 * Broadcasts a prefix tree (as `inAxes`) to the leaves of `full`: each leaf of
 * `prefix` applies to the whole subtree at its position. Returns one value per leaf of `full`.
 */
export function broadcastPrefix(prefix: unknown, full: unknown, op: string, isPrefixLeaf: IsLeaf): unknown[] {
  const out: unknown[] = [];
  const rec = (p: unknown, f: unknown): void => {
    if (isPrefixLeaf(p)) {
      const n = flatten(f)[0].length;
      for (let i = 0; i < n; i++) out.push(p);
      return;
    }
    const pd = structure(p);
    if (Array.isArray(p) && Array.isArray(f) && p.length === f.length) return p.forEach((c, i) => rec(c, f[i]));
    if (isPlainObject(p) && isPlainObject(f)) {
      const pk = Object.keys(p).sort();
      const fk = Object.keys(f).sort();
      if (pk.join() === fk.join()) return pk.forEach((k) => rec(p[k], f[k]));
    }
    throw new TreeMismatchError(
      `[${op}] the axis specification does not fit the arguments: got ${pd} where the argument is ${structure(f)}, ` +
        `expected a prefix of the arguments' structure (one entry per argument, or a single value for all).`,
    );
  };
  rec(prefix, full);
  return out;
}
