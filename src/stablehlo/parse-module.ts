/**
 * Modules and functions of StableHLO text: `#loc` aliases, `module @name attributes {...} {...}`,
 * `func.func public @main(%arg0: tensor<...> {attrs}) -> (...)`, private functions, and the
 * generic forms `"builtin.module"() ({...})` and `"func.func"() <{function_type = ...}>`.
 */
import { Cursor } from "./parse-cursor.js";
import { parseType, parseTypeList, skipArgAttrs } from "./parse-attrs.js";
import { parseOp, parseOps, type BlockArg, type Func, type Module, type Op } from "./parse-ops.js";

/** Parses a whole module (or bare functions) of StableHLO text. */
export function parseModule(text: string): Module {
  const c = new Cursor(text);
  const mod: Module = { name: "main", funcs: new Map() };
  skipAliases(c);
  if (c.eat("module")) {
    const sym = c.sigil("@");
    if (sym) mod.name = sym.slice(1);
    if (c.eat("attributes")) skipArgAttrs(c);
    c.expect("{", '"{" opening the module body');
    parseTopLevel(c, mod, "}");
    c.expect("}", '"}" closing the module');
  } else if (c.peekIs('"builtin.module"')) {
    const op = parseOp(c);
    const sym = op.attrs.get("sym_name");
    if (sym?.kind === "string") mod.name = sym.value;
    for (const inner of op.regions[0]?.ops ?? []) addGenericFunc(c, mod, inner);
  } else parseTopLevel(c, mod, "");
  skipAliases(c);
  if (!c.atEnd()) throw c.fail("the end of the module");
  if (mod.funcs.size === 0) throw c.error("no function found", ": expected func.func public @main(...).", 0);
  return mod;
}

/** `#loc1 = loc(...)` and other attribute aliases: location info, not needed to run. */
function skipAliases(c: Cursor): void {
  while (c.peek() === "#") {
    c.sigil("#");
    c.expect("=");
    const at = c.i;
    while (c.i < c.text.length && c.text[c.i] !== "\n") {
      const ch = c.text[c.i];
      c.i++;
      if (ch === "(" || ch === "<" || ch === "[" || ch === "{") c.skipBalanced();
    }
    if (c.i === at) throw c.fail("an attribute after '='");
  }
}

function parseTopLevel(c: Cursor, mod: Module, close: string): void {
  for (;;) {
    const ch = c.peek();
    if (ch === "" || (close && c.peekIs(close))) return;
    if (c.eat("func.func")) {
      const f = parsePrettyFunc(c);
      mod.funcs.set(f.name, f);
    } else if (ch === '"') addGenericFunc(c, mod, parseOp(c));
    else if (ch === "#") skipAliases(c);
    else skipLine(c);
  }
}

/** An op the module holds besides functions (`sdy.mesh @mesh = <...>`): not needed to run. */
function skipLine(c: Cursor): void {
  const at = c.i;
  while (c.i < c.text.length && c.text[c.i] !== "\n") {
    const ch = c.text[c.i];
    c.i++;
    if (ch === "(" || ch === "<" || ch === "[" || ch === "{") c.skipBalanced();
  }
  if (c.i === at) throw c.fail("a function");
}

function addGenericFunc(c: Cursor, mod: Module, op: Op): void {
  if (op.name !== "func.func") return;
  const ft = op.attrs.get("function_type");
  const name = op.attrs.get("sym_name");
  if (ft?.kind !== "function-type" || name?.kind !== "string") {
    throw c.error("a generic func.func lacks function_type or sym_name", ".", 0);
  }
  const vis = op.attrs.get("sym_visibility");
  const region = op.regions[0] ?? { args: [], ops: [] };
  mod.funcs.set(name.value, {
    name: name.value,
    public: !(vis?.kind === "string" && vis.value === "private"),
    pos: op.pos,
    args: region.args,
    results: ft.results,
    body: region.ops,
  });
}

/** `func.func public @main(%arg0: tensor<2xf32> {attrs}) -> (tensor<2xf32> {attrs}) attributes {...} { ops }`. */
function parsePrettyFunc(c: Cursor): Func {
  const pos = c.pos();
  let isPublic = true;
  if (c.eat("private")) isPublic = false;
  else if (c.eat("public") || c.eat("nested")) isPublic = true;
  const sym = c.sigil("@");
  if (sym === null) throw c.fail("a function name such as @main");
  c.expect("(");
  const args: BlockArg[] = [];
  if (!c.eat(")")) {
    do {
      const name = c.sigil("%");
      if (name === null) throw c.fail("an argument such as %arg0: tensor<f32>");
      c.expect(":");
      args.push({ name, type: parseType(c) });
      skipArgAttrs(c);
    } while (c.eat(","));
    c.expect(")");
  }
  const results = c.eat("->") ? parseTypeList(c) : [];
  if (c.eat("attributes")) skipArgAttrs(c);
  c.expect("{", '"{" opening the function body');
  const body = parseOps(c);
  c.expect("}", '"}" closing the function body');
  return { name: sym.slice(1), public: isPublic, pos, args, results, body };
}
