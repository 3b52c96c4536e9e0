/**
 * Walks the public surface of "cotangent" (src/index.ts) with the TypeScript compiler API:
 * every export, recursively through the namespaces (`numpy`, `lax`, ...) and the plain
 * objects that act as namespaces (`np.linalg`, `scipy.special`, `nn.initializers`, ...).
 */
import ts from "typescript";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** One public name and the doc comment a user sees on hover. */
export interface PublicExport {
  /** Dotted public name, e.g. `numpy.linalg.svd`. */
  name: string;
  /** `function` (anything callable), `type`, `class`, `namespace`, `object` (a namespace object), `value` (a constant). */
  kind: string;
  /** The comment text, without tags. */
  text: string;
  /** The tags, as `@name text`. */
  tags: { name: string; text: string }[];
  /** Where it is declared, relative to the repository root. */
  file: string;
  /** For an options type (a name ending in `Options`): its properties that have no doc comment. */
  undocumentedProperties?: string[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function tagText(t: ts.JSDocTagInfo): string {
  return (t.text ?? []).map((p) => p.text).join("");
}

function isNamespaceObject(decl: ts.Declaration | undefined): boolean {
  // `export const linalg = { norm, ...solve }`: an object literal of functions.
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  let init: ts.Expression = decl.initializer;
  while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))
    init = init.expression;
  return ts.isObjectLiteralExpression(init);
}

/** Every public export of src/index.ts, namespaces first, then their members. */
export function publicExports(): PublicExport[] {
  const entry = path.join(root, "src/index.ts");
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error("src/index.ts not found");
  const out: PublicExport[] = [];
  const seen = new Set<string>();

  const record = (name: string, sym: ts.Symbol, kind: string) => {
    const decl = sym.declarations?.[0];
    let undocumentedProperties: string[] | undefined;
    if (kind === "type" && sym.getName().endsWith("Options")) {
      // What hover shows on `np.sum(x, { axis })`: each property's own comment.
      const type = checker.getDeclaredTypeOfSymbol(sym);
      undocumentedProperties = type
        .getProperties()
        .filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === "")
        .map((p) => p.getName());
    }
    out.push({
      undocumentedProperties,
      name,
      kind,
      text: ts.displayPartsToString(sym.getDocumentationComment(checker)).trim(),
      tags: sym.getJsDocTags(checker).map((t) => ({ name: t.name, text: tagText(t) })),
      file: decl ? path.relative(root, decl.getSourceFile().fileName) : "?",
    });
  };

  const visitModule = (moduleSym: ts.Symbol, prefix: string) => {
    for (const exp of checker.getExportsOfModule(moduleSym)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const name = prefix + exp.getName();
      if (seen.has(name)) continue;
      seen.add(name);
      if (sym.flags & ts.SymbolFlags.ValueModule && sym.declarations?.some(ts.isSourceFile)) {
        // `export * as numpy from "./numpy/index.js"`: the module's comment is its first one.
        const file = sym.declarations.find(ts.isSourceFile)!;
        const jsdoc = file.statements[0] ? ts.getJSDocCommentsAndTags(file.statements[0]) : [];
        const text = jsdoc.map((d) => (ts.isJSDoc(d) ? (ts.getTextOfJSDocComment(d.comment) ?? "") : "")).join("");
        out.push({ name, kind: "namespace", text, tags: [], file: path.relative(root, file.fileName) });
        visitModule(sym, name + ".");
        continue;
      }
      const decl = sym.valueDeclaration ?? sym.declarations?.[0];
      if (sym.flags & ts.SymbolFlags.Function) record(name, sym, "function");
      else if (sym.flags & ts.SymbolFlags.Class) record(name, sym, "class");
      else if (sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) && !(sym.flags & ts.SymbolFlags.Value))
        record(name, sym, "type");
      else if (isNamespaceObject(decl)) {
        record(name, sym, "object");
        const type = checker.getTypeOfSymbolAtLocation(sym, decl!);
        for (const prop of type.getProperties()) {
          const target = prop.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(prop) : prop;
          // A shorthand or spread property carries the comment of the function it names.
          const resolved = resolveProperty(checker, target);
          const memberName = `${name}.${prop.getName()}`;
          if (seen.has(memberName)) continue;
          seen.add(memberName);
          const callable = checker.getTypeOfSymbolAtLocation(prop, decl!).getCallSignatures().length > 0;
          record(memberName, resolved, callable ? "function" : "value");
        }
      } else {
        const callable = decl && checker.getTypeOfSymbolAtLocation(sym, decl).getCallSignatures().length > 0;
        record(name, sym, callable ? "function" : "value");
      }
    }
  };

  const moduleSym = checker.getSymbolAtLocation(source);
  if (!moduleSym) throw new Error("src/index.ts has no module symbol");
  visitModule(moduleSym, "");
  return out;
}

function resolveProperty(checker: ts.TypeChecker, prop: ts.Symbol): ts.Symbol {
  const decl = prop.valueDeclaration;
  if (decl && ts.isShorthandPropertyAssignment(decl)) {
    const s = checker.getShorthandAssignmentValueSymbol(decl);
    if (s) return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  }
  if (decl && ts.isPropertyAssignment(decl) && ts.isIdentifier(decl.initializer)) {
    const s = checker.getSymbolAtLocation(decl.initializer);
    if (s) return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  }
  return prop;
}
