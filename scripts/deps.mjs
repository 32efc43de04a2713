// The import law of src/ (ARCHITECTURE.md): every file belongs to one layer, a file imports only
// from its own layer or a lower one, and no chain of imports comes back to where it started.
// `npm run deps` prints the count; test/architecture.test.ts fails on any breach, naming the files.
// Type-only and dynamic imports count: a type that points up is still a dependency that points up.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Lowest first. An entry ending in `/` is a folder of src/, any other a file of src/. Folders of
 * one layer may import each other (the file-level circle check still holds between them).
 */
export const LAYERS = [
  { name: 'util', paths: ['util/', 'errors.ts'] },
  { name: 'redact', paths: ['redact/'] },
  { name: 'store', paths: ['store/'] },
  { name: 'workspace', paths: ['workspace/'] },
  { name: 'external', paths: ['external/'] },
  { name: 'detect', paths: ['detect/'] },
  { name: 'rules', paths: ['rules/'] },
  { name: 'analyze', paths: ['analyze/'] },
  { name: 'memory', paths: ['memory/'] },
  { name: 'skills', paths: ['skills/'] },
  { name: 'gate', paths: ['gate/'] },
  { name: 'schedule', paths: ['schedule/'] },
  { name: 'app', paths: ['app/'] },
  { name: 'serve', paths: ['serve/'] },
  { name: 'views', paths: ['commands/', 'tui/', 'output.ts', 'main.ts', 'cli.ts', 'hook.ts', 'hook-main.ts', 'search-main.ts', 'tui-main.ts'] },
];

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(abs);
    return SOURCE.test(e.name) && !DECLARATION.test(e.name) ? [abs] : [];
  });
}

/** The file a relative specifier names: written as the emitted `.js`, it is the `.ts` or `.tsx` source. */
function resolveSpecifier(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.mjs$/, '.mts'), base.replace(/\.cjs$/, '.cts'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function specifiers(file) {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, kind);
  const out = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) out.push(node.moduleReference.expression.text);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) out.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every relative import of src/, as paths relative to src/ (`store/store.ts`). */
export function importGraph(srcDir) {
  const graph = new Map();
  const unresolved = [];
  for (const abs of sourceFiles(srcDir)) {
    const from = relative(srcDir, abs);
    const to = new Set();
    for (const spec of specifiers(abs)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(abs, spec);
      if (target) to.add(relative(srcDir, target));
      else unresolved.push({ from, spec });
    }
    graph.set(from, to);
  }
  return { graph, unresolved };
}

export function layerOf(file) {
  const rank = LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
  return rank < 0 ? null : { rank, name: LAYERS[rank].name };
}

/** Groups of nodes that reach each other (Tarjan), each with one concrete circle through it. */
export function circles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const connect = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || graph.get(v).has(v)) groups.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return groups.map((members) => ({ members, circle: shortestCircle(graph, members) }));
}

/** The shortest path from the group's first member back to itself, inside the group. */
function shortestCircle(graph, members) {
  const inside = new Set(members);
  const start = members[0];
  const from = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = from.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const folderOf = (file) => (file.includes('/') ? `${file.slice(0, file.indexOf('/'))}/` : file);

/** The law applied to src/: files in no layer, imports against the direction, circles of files and of folders. */
export function checkLayers(srcDir) {
  const { graph, unresolved } = importGraph(srcDir);
  const unplaced = [...graph.keys()].filter((f) => !layerOf(f)).sort();
  const against = [];
  const folders = new Map();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = layerOf(from);
      const b = layerOf(to);
      if (a && b && b.rank > a.rank) against.push({ from, to, fromLayer: a.name, toLayer: b.name });
      const [fa, fb] = [folderOf(from), folderOf(to)];
      if (fa === fb) continue;
      if (!folders.has(fa)) folders.set(fa, new Set());
      if (!folders.has(fb)) folders.set(fb, new Set());
      folders.get(fa).add(fb);
    }
  }
  against.sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  return { files: graph.size, imports: [...graph.values()].reduce((n, s) => n + s.size, 0), unresolved, unplaced, against, fileCircles: circles(graph), folderCircles: circles(folders) };
}

/**
 * The names of the store's documents: the keys of `documentSchemas` in src/store/schemas.ts.
 */
export function documentNames(srcDir) {
  const file = join(srcDir, 'store', 'schemas.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let names = [];
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'documentSchemas') {
      let init = node.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init && ts.isObjectLiteralExpression(init)) names = init.properties.filter((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))).map((p) => p.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** `records` that is a count of changes waiting for a batch commit (`readPending()`, `flush()`), not a document's. */
const CHANGE_COUNTS = new Set(['pending', 'pendingBatch', 'flushed']);
/** What hands out or marks a whole document: `store.read(name)`, `readShared`, `open`, `tx.doc(name)`, `tx.touch(name)`. */
const WHOLE_DOCUMENT = new Set(['read', 'readShared', 'open', 'doc', 'touch']);

const lastName = (node) => (ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : '');

/**
 * Outside src/store/, records are reached only through the store's repositories (`store.incidents`,
 * `tx.facts`, ...): no file reads or names a document's `records`, and none asks for a whole
 * document or marks one changed by its name. Each finding: the file, the line and what it does.
 */
export function recordLeaks(srcDir) {
  const documents = new Set(documentNames(srcDir));
  const leaks = [];
  for (const abs of sourceFiles(srcDir)) {
    const file = relative(srcDir, abs);
    if (file.startsWith('store/')) continue;
    const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true, kind);
    const found = (node, what) => leaks.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
    const visit = (node) => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'records' && !CHANGE_COUNTS.has(lastName(node.expression))) found(node, `reads ${node.getText(source)}`);
      else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'records') found(node, `reads ${node.getText(source)}`);
      else if (ts.isBindingElement(node) && (node.propertyName ?? node.name).getText(source) === 'records') found(node, 'takes records out of a document');
      else if (ts.isIndexedAccessTypeNode(node) && ts.isLiteralTypeNode(node.indexType) && ts.isStringLiteral(node.indexType.literal) && node.indexType.literal.text === 'records') found(node, `names ${node.getText(source)}`);
      else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && WHOLE_DOCUMENT.has(node.expression.name.text)) {
        const [first] = node.arguments;
        const call = node.getText(source).replace(/\s+/g, ' ').slice(0, 60);
        if (first && ts.isStringLiteralLike(first) && documents.has(first.text)) found(node, node.expression.name.text === 'touch' ? `marks the whole document ${first.text} changed: ${call}` : `asks for the whole document ${first.text}: ${call}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return leaks.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

export function describe(report) {
  const lines = [
    `src/: ${report.files} files, ${report.imports} imports between them, ${LAYERS.length} layers (${LAYERS.map((l) => l.name).join(' < ')})`,
    `import circles: ${report.fileCircles.length} between files, ${report.folderCircles.length} between folders`,
    `imports against the layer direction: ${report.against.length}`,
    ...(report.leaks ? [`documents reached around their repositories outside src/store/: ${report.leaks.length}`] : []),
  ];
  for (const c of report.fileCircles) lines.push(`  circle through ${c.members.length} files, for one: ${c.circle.map((f) => `src/${f}`).join(' -> ')}`);
  for (const c of report.folderCircles) lines.push(`  circle through ${c.members.length} folders (${c.members.join(', ')}), for one: ${c.circle.map((f) => `src/${f}`).join(' -> ')}`);
  for (const a of report.against) lines.push(`  src/${a.from} (${a.fromLayer}) imports src/${a.to} (${a.toLayer}, a higher layer)`);
  for (const f of report.unplaced) lines.push(`  src/${f} is in no layer: add its folder to LAYERS in scripts/deps.mjs and to ARCHITECTURE.md`);
  for (const u of report.unresolved) lines.push(`  src/${u.from} imports ${u.spec}, which names no file`);
  for (const l of report.leaks ?? []) lines.push(`  src/${l.file}:${l.line} ${l.what}; use the store's repositories (src/store/repositories.ts)`);
  return lines.join('\n');
}

export const clean = (r) => !r.fileCircles.length && !r.folderCircles.length && !r.against.length && !r.unplaced.length && !r.unresolved.length && !r.leaks?.length;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const report = { ...checkLayers(src), leaks: recordLeaks(src) };
  console.log(describe(report));
  if (!clean(report)) process.exitCode = 1;
}
