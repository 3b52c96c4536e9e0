/// <reference types="vite/client" />
/**
 * One mechanism for options, checked over every export: each optional
 * parameter gives the same result positionally (JAX's order) and in a trailing
 * object; unknown keys, wrong types and extra arguments are OptionErrors naming
 * the parameter; and every exported function is either in the table or listed
 * as taking no options (a new export that is in neither fails here).
 */
import { describe, expect, it } from "vitest";
import * as cotangent from "../src/index.js";
import { OptionError, optionRegistry } from "../src/core/options.js";
import type { NoOptionsEntry, OptionTableEntry } from "./options/table.js";

const modules = import.meta.glob("./options/*.ts", { eager: true }) as Record<string, Record<string, unknown>>;
const entries: OptionTableEntry[] = [];
const noOptions: NoOptionsEntry[] = [];
for (const m of Object.values(modules)) {
  for (const v of Object.values(m)) {
    if (!Array.isArray(v)) continue;
    for (const e of v as unknown[]) {
      if (typeof e !== "object" || e === null) continue;
      if ("op" in e && "cases" in e) entries.push(e as OptionTableEntry);
      else if ("name" in e && "args" in e) noOptions.push(e as NoOptionsEntry);
    }
  }
}

/** What a call gave, in a comparable form: values (NaN-aware), shapes and dtypes, or the error. */
function outcome(f: () => unknown): unknown {
  try {
    return { ok: summary(f()) };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

function summary(v: unknown): unknown {
  if (v instanceof cotangent.Array) {
    return {
      shape: v.shape,
      dtype: v.dtype,
      weak: v.weakType,
      values: Array.from(v.dataSync(), (x) => (Number.isNaN(x) ? "NaN" : x)),
    };
  }
  if (Array.isArray(v)) return v.map(summary);
  if (typeof v === "function") return "function";
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, summary(x)]));
  return v;
}

/** A value that `test` rejects, to feed each option a wrong type. */
const WRONG = ["not-an-option-value", { nested: true }, 1.5, -7, true, [[1.5]], Symbol("s")];

describe("options: positional and object forms agree", () => {
  for (const entry of entries) {
    describe(entry.op, () => {
      entry.cases.forEach((c, i) => {
        it(`case ${i}: ${JSON.stringify(c.object)}`, () => {
          const positional = outcome(() => entry.call(...c.positional));
          expect(positional).toHaveProperty("ok");
          expect(outcome(() => entry.call(c.object))).toEqual(positional);
          if (c.mixed) expect(outcome(() => entry.call(...c.mixed![0], c.mixed![1]))).toEqual(positional);
        });
      });
      for (const o of entry.keywordOnly ?? []) {
        it(`keyword-only ${JSON.stringify(o)} works in object form`, () => {
          expect(outcome(() => entry.call(o))).toHaveProperty("ok");
        });
      }
    });
  }
});

describe("options: mistakes are OptionErrors naming the parameter", () => {
  for (const entry of entries) {
    it(`${entry.op}: unknown keys, wrong types, too many arguments`, () => {
      const spec = optionRegistry.get(entry.op)!;
      if (!entry.trailingData) {
        expect(() => entry.call({ bogusOption: 1 })).toThrow(OptionError);
        expect(() => entry.call({ bogusOption: 1 })).toThrow(/unknown option "bogusOption": expected one of/);
      }
      for (const key of spec.keys) {
        const bad = WRONG.find((v) => !spec.checks[key].test(v));
        if (bad === undefined) continue;
        expect(() => entry.call({ [key]: bad }), key).toThrow(OptionError);
        expect(() => entry.call({ [key]: bad }), key).toThrow(`option "${key}" must be`);
      }
      if (!entry.trailingData) {
        const tooMany = [...spec.positional.map(() => undefined), 0];
        expect(() => entry.call(...tooMany)).toThrow(/too many arguments/);
      }
    });
  }
});

describe("options: the table covers every declared option", () => {
  it("every registered function has a table entry", () => {
    const tabled = new Set(entries.map((e) => e.op));
    expect([...optionRegistry.keys()].filter((op) => !tabled.has(op))).toEqual([]);
  });
  for (const entry of entries) {
    it(`${entry.op}: every key is tried`, () => {
      const spec = optionRegistry.get(entry.op);
      expect(spec, `${entry.op} is not registered`).toBeDefined();
      const tried = new Set([
        ...entry.cases.flatMap((c) => Object.keys(c.object)),
        ...(entry.keywordOnly ?? []).flatMap(Object.keys),
      ]);
      expect(spec!.keys.filter((k) => !tried.has(k))).toEqual([]);
      for (const o of entry.keywordOnly ?? []) {
        for (const k of Object.keys(o))
          if (!entry.cases.some((c) => k in c.object)) expect(spec!.positional).not.toContain(k);
      }
    });
  }
});

describe.runIf(noOptions.length > 0)("options: functions without optional parameters refuse stray ones", () => {
  for (const entry of noOptions) {
    it(entry.name, () => {
      const f = lookup(entry.name) as (...a: unknown[]) => unknown;
      expect(outcome(() => f(...entry.args))).toHaveProperty("ok");
      if (!entry.variadic) expect(() => f(...entry.args, { bogusOption: 1 })).toThrow(OptionError);
    });
  }
});

/** The export at a dotted path, numpy's without a prefix: "sum", "linalg.norm", "lax.sort", "grad". */
function lookup(name: string): unknown {
  const parts = name.split(".");
  const roots: unknown[] = [cotangent.numpy, cotangent];
  for (const root of roots) {
    let v: unknown = root;
    for (const p of parts) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[p];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Exported for the library's own use, not for users: to leave the public namespace. */
const NOT_USER_FUNCTIONS = ["nn.makeLogsumexp"];

const NAMESPACES: [string, Record<string, unknown>][] = [
  ["", cotangent.numpy as Record<string, unknown>],
  ["linalg.", cotangent.numpy.linalg as Record<string, unknown>],
  ["lax.", cotangent.lax as Record<string, unknown>],
  ["nn.", cotangent.nn as Record<string, unknown>],
  ["random.", cotangent.random as Record<string, unknown>],
  ["scipy.special.", cotangent.scipy.special as Record<string, unknown>],
  ["scipy.linalg.", cotangent.scipy.linalg as Record<string, unknown>],
  ["scipy.signal.", cotangent.scipy.signal as Record<string, unknown>],
  ["nn.initializers.", cotangent.nn.initializers as Record<string, unknown>],
  ["optim.", cotangent.optim as unknown as Record<string, unknown>],
  ["optim.losses.", cotangent.optim.losses as unknown as Record<string, unknown>],
  ["tree.", cotangent.tree as Record<string, unknown>],
];

describe("options: every exported function is accounted for", () => {
  it.each(NAMESPACES)("namespace %s", (prefix, ns) => {
    const covered = new Set<unknown>();
    // Classes (IndexError, TreeDef) are constructed, not called with options.
    for (const e of entries) covered.add(lookup(e.exportName ?? e.op));
    for (const e of noOptions) covered.add(lookup(e.name));
    const missing = Object.entries(ns)
      .filter(([name, v]) => typeof v === "function" && !/^[A-Z]/.test(name) && !covered.has(v))
      .filter(([name]) => !NOT_USER_FUNCTIONS.includes(prefix + name))
      .map(([name]) => prefix + name);
    expect(missing).toEqual([]);
  });
});
