#!/usr/bin/env node
// Prints the folder-to-folder import edges of src/ (type-only imports included), marks each edge that points up
// the layer order, and lists every file-level import cycle in src/, configs/ and packages/*/src/.
// Exits 1 when there is an upward edge or a cycle, so it can run in CI beside the linter.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const repo = path.join(__dirname, '..');
// Highest first; a folder may import from its own layer or a lower one. src/index.ts is the package entry.
const LAYERS = [
  ['cli', 'index.ts'],
  ['experiment'],
  ['bench', 'report'],
  ['eval'],
  ['train'],
  ['nn'],
  ['attack'],
  ['engine', 'data'],
  ['util'],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((name) => [name, LAYERS.length - i])));

function listTs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Module specifiers of every static import/export, `import type`, side-effect import and `import('…')`. */
function specifiers(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  for (const re of [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ]) {
    for (const match of code.matchAll(re)) found.push(match[1]);
  }
  return found;
}

function resolveLocal(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

const srcDir = path.join(repo, 'src');
const packageSrcDirs = fs.existsSync(path.join(repo, 'packages'))
  ? fs.readdirSync(path.join(repo, 'packages')).map((name) => path.join(repo, 'packages', name, 'src'))
  : [];
// configs/ joins the cycle search: src/ imports the built-in presets and experiments, and they import src/'s types.
const files = [srcDir, path.join(repo, 'configs'), ...packageSrcDirs].flatMap(listTs).sort();
const graph = new Map(
  files.map((file) => [
    file,
    [
      ...new Set(
        specifiers(fs.readFileSync(file, 'utf8'))
          .map((s) => resolveLocal(file, s))
          .filter(Boolean),
      ),
    ],
  ]),
);

const folderOf = (file) => path.relative(srcDir, file).split(path.sep)[0];
const rel = (file) => path.relative(repo, file);
const edges = new Map();
for (const [from, targets] of graph) {
  if (!from.startsWith(srcDir + path.sep)) continue;
  for (const to of targets) {
    if (!to.startsWith(srcDir + path.sep) || folderOf(from) === folderOf(to)) continue;
    const key = `${folderOf(from)} -> ${folderOf(to)}`;
    if (!edges.has(key)) edges.set(key, []);
    edges.get(key).push(`${rel(from)} -> ${rel(to)}`);
  }
}

let problems = 0;
console.log('folder edges (count; UP marks an edge against the layer order):');
for (const key of [...edges.keys()].sort()) {
  const [from, to] = key.split(' -> ');
  const up = (rank.get(from) ?? 0) < (rank.get(to) ?? 0) || !rank.has(from) || !rank.has(to);
  console.log(`${up ? 'UP  ' : '    '}${key} (${edges.get(key).length})`);
  if (up) {
    problems++;
    for (const edge of edges.get(key)) console.log(`        ${edge}`);
  }
}

// Tarjan's strongly connected components; a component of two or more files is an import cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let counter = 0;
function visit(file) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const next of graph.get(file) ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(file, Math.min(low.get(file), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(file, Math.min(low.get(file), index.get(next)));
    }
  }
  if (low.get(file) !== index.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== file);
  if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.map(rel).sort());
}
for (const file of files) if (!index.has(file)) visit(file);

console.log(`\nimport cycles (type-only imports included): ${cycles.length}`);
for (const cycle of cycles) console.log(`    ${cycle.join(' <-> ')}`);
problems += cycles.length;
console.log(`\n${files.length} files; ${problems === 0 ? 'no upward edge and no cycle' : `${problems} problem(s)`}`);
process.exit(problems === 0 ? 0 : 1);
