/**
 * Reading what a small region computes, so that common bodies run as one cotangent
 * primitive: a reducer `add(a, b)` is a sum, `return b` is a scatter's set, and a sort
 * comparator tells which operands are keys and in which direction they sort.
 */
import type { Op, Region } from "./parse-ops.js";

const MONOIDS: Record<string, string> = {
  "stablehlo.add": "add",
  "stablehlo.multiply": "mul",
  "stablehlo.maximum": "max",
  "stablehlo.minimum": "min",
  "stablehlo.and": "and",
  "stablehlo.or": "or",
};

/** The monoid of a two-argument body (`add`, `mul`, `max`, `min`, `and`, `or`), `set` for `return %b`, or null. */
export function monoid(r: Region | undefined): string | null {
  if (r === undefined || r.args.length !== 2) return null;
  const [a, b] = r.args.map((x) => x.name);
  const ops = r.ops;
  const ret = ops[ops.length - 1];
  if (!isReturn(ret) || ret.operands.length !== 1) return null;
  if (ops.length === 1) return ret.operands[0] === b ? "set" : null;
  if (ops.length !== 2) return null;
  const body = ops[0];
  const m = MONOIDS[body.name];
  const args = new Set(body.operands);
  if (!m || body.operands.length !== 2 || !args.has(a) || !args.has(b) || ret.operands[0] !== body.results[0])
    return null;
  return m;
}

/** The monoid an op names: `applies stablehlo.add` (pretty reduce) or its first region. */
export function opMonoid(op: Op): string | null {
  const applies = op.attrs.get("applies");
  if (applies?.kind === "keyword") return MONOIDS[applies.value] ?? null;
  return monoid(op.regions[0]);
}

export const isReturn = (op: Op | undefined): boolean =>
  op !== undefined && (op.name === "stablehlo.return" || op.name === "return" || op.name === "func.return");

/**
 * What a sort comparator compares: the number of leading operands that are keys (operand k
 * is a key when its pair of block arguments, 2k and 2k+1, reaches a compare), and whether
 * the first key sorts descending (its compare is GT/GE with operand k's lhs argument first).
 */
export function comparator(r: Region): { numKeys: number; descending: boolean } {
  const argIndex = new Map(r.args.map((a, i) => [a.name, i]));
  const deps = new Map<string, Set<number>>();
  const depsOf = (v: string): Set<number> => {
    const i = argIndex.get(v);
    return i !== undefined ? new Set([i]) : (deps.get(v) ?? new Set());
  };
  let numKeys = 1;
  let descending = false;
  let firstSeen = false;
  for (const op of r.ops) {
    const all = new Set<number>();
    for (const v of op.operands) for (const i of depsOf(v)) all.add(i);
    for (const res of op.results) deps.set(res, all);
    if (op.name !== "stablehlo.compare") continue;
    for (const i of all) numKeys = Math.max(numKeys, Math.floor(i / 2) + 1);
    const lhs = depsOf(op.operands[0]);
    if (!firstSeen && (lhs.has(0) || lhs.has(1))) {
      firstSeen = true;
      const dir = comparatorDirection(op);
      const lhsIsFirst = lhs.has(0);
      const greater = dir === "GT" || dir === "GE";
      descending = lhsIsFirst ? greater : !greater;
    }
  }
  return { numKeys, descending };
}

export function comparatorDirection(op: Op): string {
  const a = op.attrs.get("comparison_direction");
  if (a?.kind === "keyword") return a.value;
  const w = op.words.find((x) => x.kind === "keyword" && ["EQ", "NE", "LT", "LE", "GT", "GE"].includes(x.value));
  return w?.kind === "keyword" ? w.value : "LT";
}
