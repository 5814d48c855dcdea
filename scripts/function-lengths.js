#!/usr/bin/env node
// Prints the longest functions of src/ (function declarations, methods, accessors, constructors, arrow functions
// and function expressions), counting the lines of each that hold code: blank lines and lines that hold only a
// comment are left out. Nested functions count inside their parent too, and are listed on their own.
//
//   node scripts/function-lengths.js                 the ten longest
//   node scripts/function-lengths.js --top 20        the twenty longest
//   node scripts/function-lengths.js --over 50       every function over 50 lines, longest first
//   node scripts/function-lengths.js --root <dir>    another source folder (default: src/ of this checkout)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const repo = path.join(__dirname, '..');

function parseArgs(argv) {
  const args = { top: 10, over: undefined, root: path.join(repo, 'src') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--top') args.top = Number(value);
    else if (flag === '--over') args.over = Number(value);
    else if (flag === '--root') args.root = path.resolve(value);
    else {
      console.error(`function-lengths: unknown argument "${flag}". Use --top <n>, --over <lines> or --root <dir>.`);
      process.exit(2);
    }
    i++;
  }
  for (const key of ['top', 'over']) {
    if (args[key] !== undefined && !(Number.isInteger(args[key]) && args[key] >= 0)) {
      console.error(`function-lengths: --${key} takes a whole number, got "${args[key]}".`);
      process.exit(2);
    }
  }
  return args;
}

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Line numbers (0-based) that hold something other than whitespace and comments. */
function codeLines(source) {
  const lines = new Set();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, source.languageVariant, source.text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    // A token may span lines (template literals, strings with escapes): every line it touches holds code.
    const first = source.getLineAndCharacterOfPosition(scanner.getTokenPos()).line;
    const last = source.getLineAndCharacterOfPosition(scanner.getTextPos()).line;
    for (let line = first; line <= last; line++) lines.add(line);
    // The scanner alone cannot tell `/` from a regex or `}` from a template's middle; rescanning keeps it in step.
    if (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) scanner.reScanSlashToken();
  }
  return lines;
}

/** The name a reader would search for: the declaration's own, or the variable, property or call it is bound to. */
function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
  )
    return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

function functionsIn(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const code = codeLines(source);
  const found = [];
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      let lines = 0;
      for (let line = first; line <= last; line++) if (code.has(line)) lines++;
      found.push({ file: path.relative(repo, file), line: first + 1, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const all = listTs(args.root)
    .flatMap(functionsIn)
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  const shown = args.over === undefined ? all.slice(0, args.top) : all.filter((f) => f.lines > args.over);
  const heading =
    args.over === undefined
      ? `the ${shown.length} longest of ${all.length} functions (code lines: no blank or comment-only lines)`
      : `${shown.length} of ${all.length} functions over ${args.over} code lines`;
  console.log(heading);
  for (const f of shown) console.log(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
}

main();
