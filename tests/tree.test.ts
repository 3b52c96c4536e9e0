/**
 * Pytrees (`jax.tree_util`): flatten/unflatten/map/leaves/structure over JS
 * arrays, plain objects (keys sorted, as dicts), null, nested mixes and
 * registered classes, and the same trees through `grad`.
 */
import { describe, expect, it } from "vitest";
import { grad, numpy as np, tree, TreeMismatchError, type Array as NdArray } from "../src/index.js";

class Point {
  constructor(
    readonly x: NdArray | number,
    readonly y: NdArray | number,
  ) {}
}
tree.registerNode(Point, {
  flatten: (p: Point) => [[p.x, p.y], null],
  unflatten: (_aux: null, [x, y]) => new Point(x as NdArray, y as NdArray),
});

/** A node with static data: the name is part of the structure, not a leaf. */
class Named {
  constructor(
    readonly value: unknown,
    readonly name: string,
  ) {}
}
tree.registerNode(Named, {
  flatten: (n: Named) => [[n.value], n.name],
  unflatten: (name: string, [value]) => new Named(value, name),
});

describe("flatten and unflatten", () => {
  it("JS arrays, plain objects with sorted keys, null, nested mixes", () => {
    const t = { b: [1, { c: 2, a: 3 }], a: null, z: [4, [5, null]] };
    const [leaves, def] = tree.flatten(t);
    // Keys in sorted order: a (None), b → [1, {a: 3, c: 2}], z → [4, [5, None]].
    expect(leaves).toEqual([1, 3, 2, 4, 5]);
    expect(def.numLeaves).toBe(5);
    expect(def.toString()).toBe("PyTreeDef({'a': None, 'b': [*, {'a': *, 'c': *}], 'z': [*, [*, None]]})");
    expect(tree.unflatten(def, [10, 20, 30, 40, 50])).toEqual({
      a: null,
      b: [10, { a: 20, c: 30 }],
      z: [40, [50, null]],
    });
    // Round trip.
    expect(tree.unflatten(def, leaves)).toEqual({ a: null, b: [1, { a: 3, c: 2 }], z: [4, [5, null]] });
  });

  it("leaves are anything that is not a node: numbers, arrays, strings", () => {
    const a = np.array([1, 2]);
    const [leaves, def] = tree.flatten([a, { s: "text", n: 3 }, true]);
    expect(leaves).toHaveLength(4);
    expect(leaves[0]).toBe(a);
    expect(leaves.slice(1)).toEqual([3, "text", true]);
    expect(def.toString()).toBe("PyTreeDef([*, {'n': *, 's': *}, *])");
    expect(tree.leaves(5)).toEqual([5]);
    expect(tree.structure(5).toString()).toBe("PyTreeDef(*)");
  });

  it("empty containers and null have no leaves", () => {
    expect(tree.leaves(null)).toEqual([]);
    expect(tree.leaves([])).toEqual([]);
    expect(tree.leaves({})).toEqual([]);
    expect(tree.leaves([[], {}, null])).toEqual([]);
    expect(tree.structure(null).toString()).toBe("PyTreeDef(None)");
    expect(tree.structure([]).toString()).toBe("PyTreeDef([])");
    expect(tree.structure({}).toString()).toBe("PyTreeDef({})");
    expect(tree.unflatten(tree.structure([null, []]), [])).toEqual([null, []]);
    // undefined is treated as None.
    expect(tree.structure([1, undefined]).toString()).toBe("PyTreeDef([*, None])");
  });

  it("unflatten with the wrong number of leaves is a TreeMismatchError", () => {
    const def = tree.structure([1, [2, 3]]);
    expect(() => tree.unflatten(def, [1, 2])).toThrow(TreeMismatchError);
    expect(() => tree.unflatten(def, [1, 2, 3, 4])).toThrow(/wrong number of leaves: got 4, expected 3/);
  });

  it("isLeaf stops the descent", () => {
    const pairs = (x: unknown) => Array.isArray(x) && x.length === 2 && x.every((v) => typeof v === "number");
    expect(
      tree.leaves(
        [
          [1, 2],
          [3, [4, 5]],
        ],
        pairs,
      ),
    ).toEqual([[1, 2], 3, [4, 5]]);
    expect(tree.structure([[1, 2], [3]], pairs).toString()).toBe("PyTreeDef([*, [*]])");
  });
});

describe("map, leaves, structure", () => {
  it("map over one tree keeps its structure", () => {
    expect(tree.map((x: number) => x * 2, [1, { b: 2, a: 3 }, null])).toEqual([2, { a: 6, b: 4 }, null]);
    const out = tree.map((x: NdArray) => np.multiply(x, 2), { w: np.array([1, 2]), b: np.array(3) }) as {
      w: NdArray;
      b: NdArray;
    };
    expect(out.w.tolist()).toEqual([2, 4]);
    expect(out.b.item()).toBe(6);
  });

  it("map over several trees pairs their leaves", () => {
    const sum = tree.map(
      (a: number, b: number, c: number) => a + b + c,
      { x: 1, y: [2, 3] },
      { x: 10, y: [20, 30] },
      { y: [200, 300], x: 100 },
    );
    expect(sum).toEqual({ x: 111, y: [222, 333] });
  });

  it("a structure mismatch is a TreeMismatchError naming both structures", () => {
    const f = (a: number, b: number) => a + b;
    expect(() => tree.map(f, { x: 1, y: [2, 3] }, { x: 10, y: [20] })).toThrow(TreeMismatchError);
    expect(() => tree.map(f, { x: 1, y: [2, 3] }, { x: 10, y: [20] })).toThrow(
      "got PyTreeDef({'x': *, 'y': [*]}), expected PyTreeDef({'x': *, 'y': [*, *]})",
    );
    expect(() => tree.map(f, { a: 1 }, { b: 1 })).toThrow(TreeMismatchError);
    // As JAX, a further tree may go deeper where the first has a leaf (flatten_up_to), not shallower.
    expect(() => tree.map(f, [1, [2]], [1, 2])).toThrow(TreeMismatchError);
    expect(() => tree.map(f, [1, null], [1, 2])).toThrow(TreeMismatchError);
  });

  it("TreeDef equals compares kinds, keys, lengths and custom node data", () => {
    expect(tree.structure([1, 2]).equals(tree.structure([3, 4]))).toBe(true);
    expect(tree.structure([1, 2]).equals(tree.structure([3]))).toBe(false);
    expect(tree.structure({ a: 1 }).equals(tree.structure({ b: 1 }))).toBe(false);
    // Key order in the object literal does not matter.
    expect(tree.structure({ a: 1, b: 2 }).equals(tree.structure({ b: 1, a: 7 }))).toBe(true);
    expect(tree.structure([1]).equals(tree.structure({ 0: 1 }))).toBe(false);
    expect(tree.structure(null).equals(tree.structure(1))).toBe(false);
    expect(tree.structure(new Named(1, "a")).equals(tree.structure(new Named(2, "a")))).toBe(true);
    expect(tree.structure(new Named(1, "a")).equals(tree.structure(new Named(1, "b")))).toBe(false);
    expect(tree.structure(new Point(1, 2)).equals(tree.structure([1, 2]))).toBe(false);
  });
});

describe("registered classes", () => {
  it("flatten through registerNode, unflatten rebuilds instances", () => {
    const p = new Point(1, [2, 3] as unknown as number);
    const [leaves, def] = tree.flatten(p);
    expect(leaves).toEqual([1, 2, 3]);
    expect(def.toString()).toBe("PyTreeDef(CustomNode[null](*, [*, *]))");
    const back = tree.unflatten(def, [4, 5, 6]) as Point;
    expect(back).toBeInstanceOf(Point);
    expect([back.x, back.y]).toEqual([4, [5, 6]]);
    const m = tree.map((v: number) => v + 1, { p: new Point(1, 2) }) as { p: Point };
    expect(m.p).toBeInstanceOf(Point);
    expect([m.p.x, m.p.y]).toEqual([2, 3]);
    // Static data is kept, not mapped.
    const n = tree.map((v: number) => v * 10, new Named(4, "w")) as Named;
    expect([n.value, n.name]).toEqual([40, "w"]);
    expect(tree.structure(new Named(1, "a")).toString()).toBe('PyTreeDef(CustomNode["a"](*))');
  });

  it("subclasses of a registered class are nodes too", () => {
    class Point3 extends Point {}
    expect(tree.leaves(new Point3(7, 8))).toEqual([7, 8]);
  });

  it("grad of a function of a Point returns a Point of gradients", () => {
    // f(p) = x² + 3y: ∂f/∂x = 2x = 2, ∂f/∂y = 3.
    const g = grad((p: Point) => np.add(np.multiply(p.x, p.x), np.multiply(3, p.y)))(new Point(1, 2));
    expect(g).toBeInstanceOf(Point);
    expect((g.x as NdArray).item()).toBe(2);
    expect((g.y as NdArray).item()).toBe(3);
  });

  it("grad over nested objects and arrays returns the same structure", () => {
    // f = Σ w ⊙ b[0] + c·d.e: ∂/∂w = b[0], ∂/∂b[0] = w, ∂/∂c = d.e, ∂/∂(d.e) = c.
    const params = { w: np.array([1, 2]), b: [np.array([3, 4])], c: np.float32(5), d: { e: np.float32(6) } };
    const g = grad((t: typeof params) => np.add(np.sum(np.multiply(t.w, t.b[0])), np.multiply(t.c, t.d.e)))(params);
    expect(Object.keys(g).sort()).toEqual(["b", "c", "d", "w"]);
    expect(g.w.tolist()).toEqual([3, 4]);
    expect(g.b[0].tolist()).toEqual([1, 2]);
    expect(g.c.item()).toBe(6);
    expect(g.d.e.item()).toBe(5);
  });
});
