/**
 * The guides' code runs as written: every ```ts block of the README and the guides in docs/
 * is written to a temporary module (with `from "cotangent"` pointed at src/index.ts) and
 * imported; it must finish without throwing. Blocks in other languages (```js for browser-only
 * code, ```sh, ```html) are checked for syntax only where they are JavaScript.
 * Each block starts from the default configuration, which is restored after it. The ```ts blocks
 * are also type-checked together, against src/index.ts under the name "cotangent".
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { config, type ConfigValues } from "../src/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GUIDES = [
  "README.md",
  "docs/getting-started.md",
  "docs/porting-from-jax.md",
  "docs/custom-derivatives.md",
  "docs/browsers.md",
  "docs/performance.md",
  "docs/xla.md",
];

interface Block {
  lang: string;
  code: string;
  line: number;
}

/** The fenced code blocks of a Markdown file, with the line each starts on. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
    out.push({ lang: open[1], code: body.join("\n"), line: start + 1 });
  }
  return out;
}

const entry = pathToFileURL(path.join(root, "src/index.ts")).href;
const dir = mkdtempSync(path.join(tmpdir(), "cotangent-guides-"));
const defaults: ConfigValues = { ...config.values };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => {
  for (const [k, v] of Object.entries(defaults)) config.update(k as keyof ConfigValues, v as never);
});

it("type-checks every ts block", () => {
  const files: string[] = [];
  const checkDir = mkdtempSync(path.join(tmpdir(), "cotangent-guides-tsc-"));
  for (const file of GUIDES.filter((f) => existsSync(path.join(root, f)))) {
    for (const b of blocks(readFileSync(path.join(root, file), "utf8")).filter((x) => x.lang === "ts")) {
      const name = path.join(checkDir, `${path.basename(file, ".md")}-${b.line}.mts`);
      writeFileSync(name, b.code + "\nexport {};\n");
      files.push(name);
    }
  }
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options = { ...parsed.options, noEmit: true, paths: { cotangent: [path.join(root, "src/index.ts")] } };
  const program = ts.createProgram(files, options);
  const messages = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(path.normalize(d.file.fileName)))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
  rmSync(checkDir, { recursive: true, force: true });
  expect(messages).toEqual([]);
}, 120_000);

describe.each(GUIDES)("%s", (file) => {
  const all = existsSync(path.join(root, file)) ? blocks(readFileSync(path.join(root, file), "utf8")) : [];

  it("has code blocks", () => {
    expect(all.filter((b) => b.lang === "ts").length).toBeGreaterThan(0);
  });

  for (const b of all.filter((x) => x.lang === "js" || x.lang === "ts")) {
    it(`line ${b.line} (${b.lang}) parses`, () => {
      const r = ts.transpileModule(b.code, {
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      });
      expect((r.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    });
  }

  for (const b of all.filter((x) => x.lang === "ts")) {
    // A block that starts the GPU needs a WebGPU adapter: COTANGENT_NO_WEBGPU=1 skips it, as it skips tests/webgpu.test.ts.
    const noGpu = process.env.COTANGENT_NO_WEBGPU === "1" && b.code.includes('init("webgpu")');
    it.skipIf(noGpu)(`line ${b.line} runs`, async () => {
      const code = b.code.replace(/from "cotangent"/g, `from ${JSON.stringify(entry)}`);
      const name = path.join(dir, `${path.basename(file, ".md")}-${b.line}.ts`);
      writeFileSync(name, code + "\nexport {};\n");
      await import(pathToFileURL(name).href);
    });
  }
});
