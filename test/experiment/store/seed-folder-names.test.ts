import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  BEST_CHECKPOINT,
  CHECKPOINT,
  CHECKPOINT_FILES,
  EVAL_OUTPUT_FILES,
  SEED_FILES,
} from '../../../src/experiment/store/seed-folder';

const SRC = path.join(__dirname, '..', '..', '..', '..', 'src');
const OWNER = path.join('experiment', 'store', 'seed-folder.ts');

/**
 * What a path is built from: a literal (or a template's text between interpolations) that is a seed-folder name or
 * ends in `/<name>`. Prose that mentions a file (help texts, messages) is not a path and is left alone, and so is a
 * bare `'checkpoint'`, also the `eval` command's argument name.
 */
const NAMES = [
  ...Object.values(SEED_FILES),
  ...Object.values(CHECKPOINT_FILES),
  ...Object.values(EVAL_OUTPUT_FILES),
  BEST_CHECKPOINT,
];
const FOLDER_SUFFIX = `/${CHECKPOINT}`;
/** Numbered names: the prefix right before an interpolation (`seed-${seed}`, `eval-shard-${i}-of-${n}.json`). */
const NUMBERED = /(^|\/)(seed|eval-shard|lock-eval|eps)-$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const TEXT_TOKENS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
]);

/** Every string and template text of a file (comments are not tokens), with its line. */
function textsOf(file: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node) => {
    // Module specifiers name source files (`'./checkpoint'`), not results.
    const specifier = node.parent && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent));
    if (TEXT_TOKENS.has(node.kind) && !specifier) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      texts.push({ line: line + 1, text: node.getText(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** A token's text without its quotes, backticks or `}` … `${` around it. */
function valueOf(text: string): string {
  return text.replace(/^['"`}]/, '').replace(/(['"`]|\$\{)$/, '');
}

function offences(text: string): string[] {
  const value = valueOf(text);
  return [
    ...NAMES.filter((name) => value === name || value.endsWith(`/${name}`)),
    ...(value.endsWith(FOLDER_SUFFIX) ? [CHECKPOINT] : []),
    ...(NUMBERED.test(value) ? [NUMBERED.exec(value)![0]] : []),
  ];
}

test('no module but the store names a file or folder of a seed folder', () => {
  const found = sourceFiles(SRC)
    .filter((file) => path.relative(SRC, file) !== OWNER)
    .flatMap((file) =>
      textsOf(file).flatMap(({ line, text }) =>
        offences(text).map((name) => `${path.relative(SRC, file)}:${line}: ${name} in ${text}`),
      ),
    );
  assert.deepEqual(found, [], 'use the names and functions of src/experiment/store/seed-folder.ts');
});

test('the check finds a seed-folder name a path is built from, and leaves prose alone', () => {
  assert.deepEqual(offences("'metrics.json'"), ['metrics.json']);
  assert.deepEqual(offences('}/train-log.json`'), ['train-log.json']);
  assert.deepEqual(offences("'checkpoint-best'"), ['checkpoint-best']);
  assert.deepEqual(offences('}/checkpoint`'), ['checkpoint']);
  assert.deepEqual(offences('`seed-${'), ['seed-']);
  assert.deepEqual(offences('}/eval-shard-${'), ['/eval-shard-']);
  assert.deepEqual(offences("'writes evaluation.json and examples.csv'"), []);
  assert.deepEqual(offences("'results/quick/fig3/silu/seed-0'"), []);
});
