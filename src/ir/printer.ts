/** JAX's text form of a jaxpr. */
import { readValues } from "../core/array.js";
import { SHORT_NAME } from "../core/dtypes.js";
import { Literal, type Atom, type Jaxpr, type Var } from "./jaxpr.js";

const WIDTH = 80;

/** 0 → a, 25 → z, 26 → ba, as JAX names variables. */
function varName(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** Variable names, shared by a jaxpr and the jaxprs in its parameters. */
export class Names {
  private readonly names = new Map<Var, string>();
  name(v: Var): string {
    let s = this.names.get(v);
    if (s === undefined) {
      s = varName(this.names.size);
      this.names.set(v, s);
    }
    return s;
  }
}

function literalText(l: Literal): string {
  const v = readValues(l.value)[0];
  const d = l.value.dtype;
  let s: string;
  if (d === "bool") s = v ? "True" : "False";
  else if (d === "float32" || d === "float64") {
    s = Number.isInteger(v) ? `${v}.0` : String(d === "float32" ? Number(v.toPrecision(8)) : v);
  } else s = String(v);
  return `${s}:${SHORT_NAME[d]}[]`;
}

function paramText(value: unknown, indent: number, names: Names): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) {
    const inner = value.map((v) => paramText(v, indent, names));
    return `(${inner.join(", ")}${inner.length === 1 ? "," : ""})`;
  }
  if (typeof value === "object" && "jaxpr" in value && "consts" in value) {
    return printJaxpr((value as { jaxpr: Jaxpr }).jaxpr, indent, names);
  }
  if (typeof value === "object" && value !== null && "eqns" in value) {
    return printJaxpr(value as Jaxpr, indent, names);
  }
  if (typeof value === "function") return value.name || "<function>";
  return String(value);
}

/** JAX's order of parameters: `name` first, then the others sorted. */
function paramKeys(shown: Record<string, unknown>): string[] {
  const keys = Object.keys(shown).sort();
  return keys.includes("name") ? ["name", ...keys.filter((k) => k !== "name")] : keys;
}

/**
 * A jaxpr as JAX prints it. `indent` is the column the text starts at (for
 * nested jaxprs in parameters); `names` is shared with the enclosing jaxpr,
 * so inner variables continue its lettering, as in JAX.
 */
export function printJaxpr(jaxpr: Jaxpr, indent = 0, names: Names = new Names()): string {
  const binder = (v: Var): string => `${names.name(v)}:${v.aval.str()}`;
  const atom = (a: Atom): string => (a instanceof Literal ? literalText(a) : names.name(a));
  const head = `{ lambda ${jaxpr.constvars.map(binder).join(" ")}; ${jaxpr.invars.map(binder).join(" ")}. let`;
  const eqnPad = " ".repeat(indent + 4);
  const paramPad = " ".repeat(indent + 6);
  const eqns = jaxpr.eqns.map((e) => {
    const lhs = e.outvars.length ? e.outvars.map(binder).join(" ") : "_";
    const shown = (e.prim.rules.printParams ? e.prim.rules.printParams(e.params as never) : e.params) as Record<
      string,
      unknown
    >;
    const kv = paramKeys(shown).map((k) => `${k}=${paramText(shown[k], indent + 6, names)}`);
    const args = e.inputs.map(atom).join(" ");
    const oneLine = `${lhs} = ${e.prim.name}${kv.length ? `[${kv.join(" ")}]` : ""} ${args}`.trimEnd();
    if (oneLine.length + indent + 4 <= WIDTH && !oneLine.includes("\n")) return oneLine;
    // Too long: one parameter per line, as JAX breaks them.
    if (kv.length === 0) return oneLine;
    return `${lhs} = ${e.prim.name}[\n${kv.map((x) => paramPad + x).join("\n")}\n${eqnPad}] ${args}`.trimEnd();
  });
  const outs = jaxpr.outvars.map(atom);
  const tail = `in (${outs.join(", ")}${outs.length === 1 ? "," : ""}) }`;
  const oneLine = `${head} ${eqns.join("; ")}${eqns.length ? " " : ""}${tail}`;
  if (oneLine.length + indent <= WIDTH && !oneLine.includes("\n")) return oneLine;
  const pad = " ".repeat(indent);
  return [head, ...eqns.map((e) => `${pad}    ${e}`), `${pad}  ${tail}`].join("\n");
}
