/**
 * Pytrees: nested JS arrays, plain objects, null/undefined and registered
 * classes, with arrays and numbers (and anything else) at the leaves.
 * Plain-object keys are visited in sorted order, as JAX sorts dict keys.
 */
import { NdArray } from "../core/array.js";
import { ArgumentTypeError, TreeMismatchError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  is,
  isPlainObject,
  noExtraArgs,
  orNull,
  type OptArgs,
} from "../core/options.js";

/** How a registered class is taken apart and put back together. */
export interface NodeType<T = unknown, C = unknown> {
  /** Children (a list) and static auxiliary data. */
  flatten(value: T): [unknown[], C];
  unflatten(aux: C, children: unknown[]): T;
}

/** Registered classes, by constructor. */
const registry = new Map<abstract new (...args: never[]) => unknown, NodeType>();

/**
 * `jax.tree_util.register_pytree_node(nodetype, flatten_func, unflatten_func)`:
 * instances of `cls` (and of its subclasses) become inner nodes. The functions
 * are given as `{ flatten, unflatten }` or, as JAX, as two arguments.
 *
 * @example
 * class Point { constructor(readonly x: Array, readonly y: Array) {} }
 * tree.registerNode(Point, { flatten: (p) => [[p.x, p.y], null], unflatten: (_, [x, y]) => new Point(x, y) });
 * tree.registerNode(Point, (p) => [[p.x, p.y], null], (_, [x, y]) => new Point(x, y)); // the same
 */
export function registerNode<T, C>(cls: abstract new (...args: never[]) => T, type: NodeType<T, C>, ...rest: []): void;
export function registerNode<T, C>(
  cls: abstract new (...args: never[]) => T,
  flatten: (value: T) => [unknown[], C],
  unflatten: (aux: C, children: unknown[]) => T,
  ...rest: []
): void;
export function registerNode<T, C>(
  cls: abstract new (...args: never[]) => T,
  typeOrFlatten: NodeType<T, C> | ((value: T) => [unknown[], C]),
  ...rest: unknown[]
): void {
  const op = "tree.registerNode";
  if (typeof cls !== "function" || (cls as unknown) === Object || (cls as unknown) === Array) {
    throw new ArgumentTypeError(
      `[${op}] the node type must be a class: got ${describeValue(cls)}, expected a constructor other than Object and Array.`,
    );
  }
  let type: NodeType<T, C>;
  if (typeof typeOrFlatten === "function") {
    const [unflatten, ...extra] = rest;
    noExtraArgs(op, extra);
    if (typeof unflatten !== "function") {
      throw new ArgumentTypeError(
        `[${op}] unflatten must be a function: got ${describeValue(unflatten)}, expected (aux, children) => instance.`,
      );
    }
    type = { flatten: typeOrFlatten, unflatten: unflatten as NodeType<T, C>["unflatten"] };
  } else {
    noExtraArgs(op, rest);
    const t = typeOrFlatten as Partial<NodeType<T, C>> | null;
    if (typeof t !== "object" || t === null || typeof t.flatten !== "function" || typeof t.unflatten !== "function") {
      throw new ArgumentTypeError(
        `[${op}] expected { flatten, unflatten } functions (or the two functions as arguments): got ${describeValue(t)}.`,
      );
    }
    type = { flatten: t.flatten.bind(t), unflatten: t.unflatten.bind(t) };
  }
  registry.set(cls, type as NodeType);
}

type Kind = "leaf" | "none" | "array" | "object" | "custom";

/**
 * A pytree's structure (JAX's `PyTreeDef`): what is left when the leaves are taken out.
 *
 * As `jax.tree_util.PyTreeDef`.
 *
 * @example
 * const [leaves, def] = tree.flatten({ a: 1, b: [2, 3] });
 * def.toString(); // "PyTreeDef({'a': *, 'b': [*, *]})"
 * def.numLeaves; // 3
 * tree.unflatten(def, [4, 5, 6]); // { a: 4, b: [5, 6] }
 */
export class TreeDef {
  constructor(
    readonly kind: Kind,
    readonly children: TreeDef[] = [],
    /** Object keys, custom node aux data, or, for "none", "undefined" when it was undefined (else null). */
    readonly meta: unknown = null,
    readonly nodeType: NodeType | null = null,
  ) {}

  /** The number of leaves. */
  get numLeaves(): number {
    if (this.kind === "leaf") return 1;
    return this.children.reduce((a, c) => a + c.numLeaves, 0);
  }

  /** Structural equality: kinds, object keys, lengths, node types and their aux data. null equals undefined. */
  equals(other: TreeDef): boolean {
    if (!(other instanceof TreeDef)) return false;
    if (this.kind !== other.kind || this.children.length !== other.children.length) return false;
    if (this.kind === "object" && !sameKeys(this.meta as string[], other.meta as string[])) return false;
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
        return `CustomNode[${auxText(this.meta)}](${this.children.map((c) => c.body()).join(", ")})`;
    }
  }
}

function auxText(aux: unknown): string {
  try {
    return JSON.stringify(aux) ?? "";
  } catch {
    return describeValue(aux);
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function sameAux(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function nodeTypeOf(x: unknown): NodeType | null {
  if (typeof x !== "object" || x === null || registry.size === 0) return null;
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

/**
 * Flattens without option parsing (the transformations' entry point): leaves
 * in order, and the structure. A cyclic tree or one too deep for the stack is
 * an {@link ArgumentTypeError}, never a hang or a RangeError.
 */
export function flattenTree(tree: unknown, isLeaf?: IsLeaf | null, op = "tree.flatten"): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const onPath = new Set<object>();
  const path: string[] = [];
  const build = (x: unknown): TreeDef => {
    if (isLeaf?.(x)) {
      leaves.push(x);
      return LEAF;
    }
    if (x === null) return NONE;
    if (x === undefined) return UNDEFINED;
    const isArray = Array.isArray(x);
    const type = isArray ? null : nodeTypeOf(x);
    if (!isArray && !type && !isPlainObject(x)) {
      leaves.push(x);
      return LEAF;
    }
    const obj = x as object;
    if (onPath.has(obj)) {
      throw new ArgumentTypeError(
        `[${op}] a pytree cannot contain itself: got a cycle (the node at ${pathText(path)} is one of its own ancestors), ` +
          `expected a tree. Break the cycle, or pass isLeaf to stop the descent there.`,
      );
    }
    onPath.add(obj);
    let def: TreeDef;
    if (isArray) {
      // Array.from turns holes into undefined (None), as the array's length says.
      def = new TreeDef(
        "array",
        Array.from(x as unknown[], (c, i) => child(i, c)),
      );
    } else if (type) {
      const [children, aux] = customChildren(op, type, x);
      def = new TreeDef(
        "custom",
        children.map((c, i) => child(i, c)),
        aux,
        type,
      );
    } else {
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      def = new TreeDef(
        "object",
        keys.map((k) => child(k, o[k])),
        keys,
      );
    }
    onPath.delete(obj);
    return def;
  };
  const child = (k: string | number, c: unknown): TreeDef => {
    path.push(String(k));
    const d = build(c);
    path.pop();
    return d;
  };
  const def = deepGuard(op, () => build(tree));
  return [leaves, def];
}

function pathText(path: readonly string[]): string {
  return path.length === 0 ? "the root" : path.map((k) => `[${JSON.stringify(k)}]`).join("");
}

/** Runs a recursive walk; a stack overflow (a tree nested beyond the stack) becomes a typed error. */
function deepGuard<T>(op: string, walk: () => T): T {
  try {
    return walk();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new ArgumentTypeError(
        `[${op}] the pytree is nested too deeply: got more levels than the JS stack holds, expected a shallower tree.`,
      );
    }
    throw e;
  }
}

function customChildren(op: string, type: NodeType, x: unknown): [unknown[], unknown] {
  const out = type.flatten(x);
  if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[0])) {
    const name = (x as { constructor?: { name?: string } }).constructor?.name ?? "the node";
    throw new ArgumentTypeError(
      `[${op}] the flatten function registered for ${name} must return [children, aux]: got ${describeValue(out)}, ` +
        `expected an array of two entries whose first is an array.`,
    );
  }
  return [out[0] as unknown[], out[1]];
}

const LEAF = new TreeDef("leaf");
const NONE = new TreeDef("none", [], null);
const UNDEFINED = new TreeDef("none", [], "undefined");

/**
 * Sets `out[key] = value` as an own data property, also for "__proto__" (which
 * `out[key] = value` would take as the prototype's setter). The result stays a
 * plain object with Object.prototype.
 */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  } else out[key] = value;
}

/** Unflattens without argument checks (the transformations' entry point). */
export function unflattenTree(def: TreeDef, leaves: readonly unknown[], op = "tree.unflatten"): unknown {
  const expected = def.numLeaves;
  if (leaves.length !== expected) {
    throw new TreeMismatchError(
      `[${op}] wrong number of leaves: got ${leaves.length}, expected ${expected} for ${def}.`,
    );
  }
  let i = 0;
  const rec = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return d.meta === "undefined" ? undefined : null;
      case "array":
        return d.children.map(rec);
      case "object": {
        const out: Record<string, unknown> = {};
        (d.meta as string[]).forEach((k, j) => setOwn(out, k, rec(d.children[j])));
        return out;
      }
      case "custom":
        return d.nodeType!.unflatten(d.meta, d.children.map(rec));
    }
  };
  return deepGuard(op, () => rec(def));
}

/**
 * The subtrees of `x` at the leaves of `def` (JAX's `flatten_up_to`): x must
 * have def's structure down to def's leaves, and may go deeper there.
 * Returns null when it does not.
 */
function flattenUpTo(op: string, def: TreeDef, x: unknown): unknown[] | null {
  const out: unknown[] = [];
  const rec = (d: TreeDef, v: unknown): boolean => {
    switch (d.kind) {
      case "leaf":
        out.push(v);
        return true;
      case "none":
        return v === null || v === undefined;
      case "array":
        return (
          Array.isArray(v) &&
          !nodeTypeOf(v) &&
          v.length === d.children.length &&
          d.children.every((c, i) => rec(c, v[i]))
        );
      case "object": {
        if (!isPlainObject(v) || nodeTypeOf(v)) return false;
        const keys = Object.keys(v).sort();
        const mine = d.meta as string[];
        return sameKeys(keys, mine) && d.children.every((c, i) => rec(c, v[mine[i]]));
      }
      case "custom": {
        if (nodeTypeOf(v) !== d.nodeType) return false;
        const [children, aux] = customChildren(op, d.nodeType!, v);
        return (
          sameAux(aux, d.meta) &&
          children.length === d.children.length &&
          d.children.every((c, i) => rec(c, children[i]))
        );
      }
    }
  };
  return deepGuard(op, () => rec(def, x)) ? out : null;
}

// ---------------------------------------------------------------------------
// The public functions (`cotangent.tree`), with JAX's optional parameters.

/** Options of `tree.flatten`, `tree.leaves` and `tree.structure` (JAX: is_leaf, positional). */
export interface FlattenOptions {
  /** Called at each node: true makes the node a leaf (its subtree is not descended into). */
  isLeaf?: IsLeaf | null;
}

/** Options of `tree.map` and `tree.all` (JAX: is_leaf, keyword-only). */
export type MapOptions = FlattenOptions;

/** Options of `tree.reduce` (JAX: initializer, is_leaf, positional). */
export interface ReduceOptions<A = unknown> {
  /**
   * The starting value; absent: the first leaf (and an empty tree is an error).
   * A plain-object initializer must be given here, as `{ initializer: {...} }`
   * (positionally it would be read as the options object).
   */
  initializer?: A;
  /** Called at each node: true makes the node a leaf. */
  isLeaf?: IsLeaf | null;
}

const isLeafCheck = orNull(check<IsLeaf>(is.func.expected, is.func.test));
const flattenLike = (op: string) => defineOptions(op, { isLeaf: isLeafCheck }, ["isLeaf"]);
const flattenOptions = flattenLike("tree.flatten");
const leavesOptions = flattenLike("tree.leaves");
const structureOptions = flattenLike("tree.structure");
const mapOptions = defineOptions("tree.map", { isLeaf: isLeafCheck }, [], { trailingMayBeData: true });
const allOptions = defineOptions("tree.all", { isLeaf: isLeafCheck }, []);
// A trailing plain object is options, as everywhere: a plain-object initializer goes in { initializer }.
const reduceOptions = defineOptions("tree.reduce", { initializer: is.any, isLeaf: isLeafCheck }, [
  "initializer",
  "isLeaf",
]);

type FlattenArgs = OptArgs<[IsLeaf | null], FlattenOptions>;

/**
 * `jax.tree.flatten(tree, is_leaf=None)`: the leaves in order, and the structure.
 *
 * @example
 * const [leaves, def] = tree.flatten({ b: [1, 2], a: 3 }); // [3, 1, 2], PyTreeDef({'a': *, 'b': [*, *]})
 */
export function flatten(tree: unknown, ...args: FlattenArgs): [unknown[], TreeDef] {
  return flattenTree(tree, flattenOptions.parse(args).isLeaf, "tree.flatten");
}

/**
 * `jax.tree.unflatten(treedef, leaves)`: the tree of structure `treedef` with these leaves.
 *
 * @example
 * tree.unflatten(def, [10, 20, 30]);
 */
export function unflatten(treedef: TreeDef, leaves: Iterable<unknown>, ...rest: []): unknown {
  noExtraArgs("tree.unflatten", rest);
  if (!(treedef instanceof TreeDef)) {
    throw new ArgumentTypeError(
      `[tree.unflatten] treedef must be a TreeDef: got ${describeValue(treedef)}, expected the structure from tree.flatten or tree.structure.`,
    );
  }
  return unflattenTree(treedef, leafList("tree.unflatten", leaves), "tree.unflatten");
}

function leafList(op: string, leaves: unknown): readonly unknown[] {
  if (Array.isArray(leaves)) return leaves;
  if (typeof leaves === "object" && leaves !== null && Symbol.iterator in leaves) {
    return Array.from(leaves as Iterable<unknown>);
  }
  throw new ArgumentTypeError(
    `[${op}] leaves must be an array: got ${describeValue(leaves)}, expected an array of leaves.`,
  );
}

/**
 * `jax.tree.leaves(tree, is_leaf=None)`: the leaves in order.
 *
 * @example
 * tree.leaves([1, { a: 2, b: null }]); // [1, 2]
 */
export function leaves(tree: unknown, ...args: FlattenArgs): unknown[] {
  return flattenTree(tree, leavesOptions.parse(args).isLeaf, "tree.leaves")[0];
}

/**
 * `jax.tree.structure(tree, is_leaf=None)`: the structure alone.
 *
 * @example
 * String(tree.structure([1, { a: 2 }])); // "PyTreeDef([*, {'a': *}])"
 */
export function structure(tree: unknown, ...args: FlattenArgs): TreeDef {
  return flattenTree(tree, structureOptions.parse(args).isLeaf, "tree.structure")[1];
}

/** Leaves replaced by R: arrays, tuples and objects keep their shape; null and undefined stay. */
export type TreeMapped<T, R> = T extends NdArray
  ? R
  : T extends null | undefined
    ? T
    : T extends number | string | boolean | bigint | symbol | ((...a: never[]) => unknown)
      ? R
      : T extends Date | RegExp | Map<unknown, unknown> | Set<unknown> | ArrayBufferView | Promise<unknown> | Error
        ? R
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: TreeMapped<T[K], R> }
          : T extends object
            ? { -readonly [K in keyof T]: TreeMapped<T[K], R> }
            : R;

/**
 * `jax.tree.map(f, tree, *rest, is_leaf=None)`: `f` at each leaf of `tree`,
 * with the corresponding subtrees of `rest` (which must have `tree`'s
 * structure, or `tree`'s structure as a prefix) as further arguments. A
 * trailing plain object is options (`{ isLeaf }`) only when all of its keys
 * are options; otherwise it is one of the trees.
 *
 * Types: when `f` maps a leaf type to itself (arrays to arrays), the result has
 * the type of `tree`; otherwise arrays, tuples and objects keep their shape
 * with leaves of f's result type.
 *
 * @example
 * const scaled = tree.map((w: Array) => w.mul(0.9), params); // typed like params
 * const sums = tree.map((a: number, b: number) => a + b, { x: 1, y: [2] }, { x: 10, y: [20] }); // { x: 11, y: [22] }
 */
export function map<T, L>(f: (x: L, ...rest: never[]) => L, tree: T, ...rest: unknown[]): T;
export function map<T, R>(f: (...xs: never[]) => R, tree: T, ...rest: unknown[]): TreeMapped<T, R>;
export function map(f: (...xs: never[]) => unknown, tree: unknown, ...rest: unknown[]): unknown {
  const op = "tree.map";
  if (typeof f !== "function") {
    throw new ArgumentTypeError(
      `[${op}] f must be a function: got ${describeValue(f)}, expected a function of the leaves.`,
    );
  }
  const [trees, options] = splitTrailing(rest, mapOptions.spec.keys);
  const o = mapOptions.parseObject(options);
  const [ls, def] = flattenTree(tree, o.isLeaf, op);
  const others = trees.map((r, j) => {
    const sub = flattenUpTo(op, def, r);
    if (sub === null) throw mapMismatch(op, def, r, j === trees.length - 1 && isPlainObject(r));
    return sub;
  });
  const g = f as (...a: unknown[]) => unknown;
  return unflattenTree(
    def,
    ls.map((x, i) => g(x, ...others.map((s) => s[i]))),
    op,
  );
}

/**
 * A trailing plain object is options only when it is not empty and every key
 * is an option key; otherwise it is data (a tree).
 */
function splitTrailing(args: readonly unknown[], keys: readonly string[]): [unknown[], unknown] {
  const last = args[args.length - 1];
  if (isPlainObject(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => keys.includes(k))) {
    return [args.slice(0, -1), last];
  }
  return [args.slice(), undefined];
}

function mapMismatch(op: string, def: TreeDef, r: unknown, trailingObject: boolean): TreeMismatchError {
  const got = flattenTree(r, null, op)[1];
  const note = trailingObject
    ? ` (A trailing object is taken as options only when all its keys are options: ${mapOptions.spec.keys.join(", ")}.)`
    : "";
  return new TreeMismatchError(
    `[${op}] pytree structure mismatch: got ${got}, expected ${def} (or a tree with it as a prefix). ` +
      `Pass trees with the same nesting of arrays and object keys.${note}`,
  );
}

/**
 * `jax.tree.reduce(function, tree, initializer, is_leaf=None)`: folds
 * `function(accumulated, leaf)` over the leaves, from `initializer` or, without
 * one, from the first leaf.
 *
 * @example
 * tree.reduce((a: number, b: number) => a + b, [1, { x: 2 }], 0); // 3
 */
export function reduce<A>(
  fn: (acc: A, leaf: never) => A,
  tree: unknown,
  ...args: OptArgs<[A, IsLeaf | null], ReduceOptions<A>>
): A {
  const op = "tree.reduce";
  if (typeof fn !== "function") {
    throw new ArgumentTypeError(
      `[${op}] function must be a function: got ${describeValue(fn)}, expected (acc, leaf) => acc.`,
    );
  }
  const o = reduceOptions.parse(args);
  const ls = flattenTree(tree, o.isLeaf, op)[0];
  const g = fn as (acc: unknown, leaf: unknown) => unknown;
  if (Object.hasOwn(o, "initializer")) return ls.reduce(g, o.initializer) as A;
  if (ls.length === 0) {
    throw new ArgumentTypeError(
      `[${op}] reduce() of empty iterable with no initial value: got a tree without leaves, expected an initializer.`,
    );
  }
  return ls.reduce(g) as A;
}

/**
 * `jax.tree.all(tree, *, is_leaf=None)`: whether every leaf is truthy (an
 * Array counts by its one value, as Python's `bool(array)`).
 *
 * @example
 * tree.all([true, { a: 1 }]); // true
 */
export function all(tree: unknown, ...args: OptArgs<[], MapOptions>): boolean {
  const op = "tree.all";
  const o = allOptions.parse(args);
  return flattenTree(tree, o.isLeaf, op)[0].every((x) => truthy(op, x));
}

function truthy(op: string, x: unknown): boolean {
  if (!(x instanceof NdArray)) return Boolean(x);
  if (x.size !== 1) {
    throw new ArgumentTypeError(
      `[${op}] The truth value of an array with more than one element is ambiguous: got ${x.aval.str()}, ` +
        `expected a single value. Use np.all or np.any on it first.`,
    );
  }
  return Number(x.item()) !== 0;
}

/**
 * `jax.tree.transpose(outer_treedef, inner_treedef, pytree)`: a tree of
 * structure outer-of-inner becomes inner-of-outer. `inner` may be null: it is
 * then the structure of the first outer leaf's subtree.
 *
 * @example
 * const outer = tree.structure([0, 0]), inner = tree.structure({ a: 0, b: 0 });
 * tree.transpose(outer, inner, [{ a: 1, b: 2 }, { a: 3, b: 4 }]); // { a: [1, 3], b: [2, 4] }
 */
export function transpose(outer: TreeDef, inner: TreeDef | null, pytree: unknown, ...rest: []): unknown {
  const op = "tree.transpose";
  noExtraArgs(op, rest);
  for (const [name, d] of [
    ["outer_treedef", outer],
    ["inner_treedef", inner],
  ] as const) {
    if (!(d instanceof TreeDef) && !(name === "inner_treedef" && d === null)) {
      throw new ArgumentTypeError(
        `[${op}] ${name} must be a TreeDef${name === "inner_treedef" ? " or null" : ""}: got ${describeValue(d)}.`,
      );
    }
  }
  const subtrees = flattenUpTo(op, outer, pytree);
  if (subtrees === null) {
    throw new TreeMismatchError(
      `[${op}] pytree structure mismatch: got ${flattenTree(pytree, null, op)[1]}, expected ${outer} with subtrees at its leaves.`,
    );
  }
  const innerDef = inner ?? (subtrees.length > 0 ? flattenTree(subtrees[0], null, op)[1] : LEAF);
  const columns: unknown[][] = Array.from({ length: innerDef.numLeaves }, () => []);
  for (const s of subtrees) {
    const sub = flattenUpTo(op, innerDef, s);
    if (sub === null) {
      throw new TreeMismatchError(
        `[${op}] pytree structure mismatch: got ${flattenTree(s, null, op)[1]} at a leaf of the outer structure, ` +
          `expected ${innerDef}.`,
      );
    }
    sub.forEach((leaf, i) => columns[i].push(leaf));
  }
  return unflattenTree(
    innerDef,
    columns.map((c) => unflattenTree(outer, c, op)),
    op,
  );
}

/** A TreeMismatchError naming both structures. */
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
      const n = flattenTree(f, null, op)[0].length;
      for (let i = 0; i < n; i++) out.push(p);
      return;
    }
    const pd = flattenTree(p, null, op)[1];
    if (Array.isArray(p) && Array.isArray(f) && p.length === f.length) return p.forEach((c, i) => rec(c, f[i]));
    if (isPlainObject(p) && isPlainObject(f)) {
      const pk = Object.keys(p).sort();
      const fk = Object.keys(f).sort();
      if (sameKeys(pk, fk)) return pk.forEach((k) => rec(p[k], f[k]));
    }
    throw new TreeMismatchError(
      `[${op}] the axis specification does not fit the arguments: got ${pd} where the argument is ${flattenTree(f, null, op)[1]}, ` +
        `expected a prefix of the arguments' structure (one entry per argument, or a single value for all).`,
    );
  };
  deepGuard(op, () => rec(prefix, full));
  return out;
}
