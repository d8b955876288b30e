// The API reference, docs/api.md: read from the custom elements manifest (the stock analyzer,
// run here into a temporary folder with the repo's custom-elements-manifest.config.mjs), from
// the event detail types of components/pc-network/events.ts (PcNetworkEventMap, read with
// the TypeScript compiler API) and from the parameter table of src/model/params.ts (PARAMS). `node scripts/api-reference.mjs` writes docs/api.md;
// `--check` exits 1 when docs/api.md is out of date. `renderHtml()` gives the same as HTML
// (vite.config.ts serves it at api/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = join(repo, 'docs', 'api.md');

/** Runs `cem analyze` into a temporary folder and returns the manifest. */
export function readManifest() {
  const dir = mkdtempSync(join(tmpdir(), 'pc-api-'));
  try {
    // The analyzer joins --outdir to the working folder, so it is given relative to the repo.
    execFileSync(
      process.execPath,
      [
        join(repo, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
        'analyze',
        '--outdir',
        relative(repo, dir),
      ],
      { cwd: repo, stdio: 'pipe' },
    );
    return JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A default the analyzer gives as a constant's name (`DEFAULT_MEMORY_BUDGET_MIB`), as its value:
 * the literal of `export const NAME = …;` in src/ or components/; other defaults as they are.
 */
export function resolveDefault(text) {
  if (!text || !/^[A-Z][A-Z0-9_]*$/.test(text)) return text;
  const found = (dir) =>
    readdirSync(join(repo, dir), { recursive: true })
      .filter((f) => String(f).endsWith('.ts'))
      .map((f) => readFileSync(join(repo, dir, String(f)), 'utf8'))
      .map((t) => new RegExp(`export const ${text}(?:: \\w+)? = ([^;]+);`).exec(t)?.[1])
      .find(Boolean);
  return found('src') ?? found('components') ?? text;
}

/** Event name -> detail type text, from the PcNetworkEventMap interface of events.ts. */
export function readEventDetails() {
  const file = join(repo, 'components/pc-network/events.ts');
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map();
  const types = new Map();
  src.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
    if (ts.isTypeAliasDeclaration(n)) types.set(n.name.text, n.type.getText(src));
  });
  /** The fields of a detail interface as `{ a: T; b: U }`, or the name when not found. */
  const expand = (name) => {
    const i = interfaces.get(name);
    if (!i) return types.get(name) ?? name;
    const fields = i.members
      .filter(ts.isPropertySignature)
      .map((m) => `${m.name.getText(src)}${m.questionToken ? '?' : ''}: ${m.type?.getText(src)}`);
    return `${name} { ${fields.join('; ')} }`;
  };
  const map = interfaces.get('PcNetworkEventMap');
  const details = new Map();
  for (const m of map?.members ?? []) {
    if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeReferenceNode(m.type)) continue;
    const arg = m.type.typeArguments?.[0];
    const name = m.name.getText(src).replace(/^['"]|['"]$/g, '');
    details.set(name, arg ? expand(arg.getText(src)) : 'undefined');
  }
  return details;
}

/**
 * The engine's parameter table, PARAMS of src/model/params.ts: that module imports nothing, so
 * it is transpiled here and run as it is.
 */
export function readParams() {
  const source = readFileSync(join(repo, 'src/model/params.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} };
  new Function('module', 'exports', outputText)(module, module.exports);
  return module.exports;
}

const cell = (s) =>
  String(s ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (s) => (s === undefined || s === '' ? '' : `\`${cell(s).replace(/`/g, "'")}\``);

/**
 * The range and unit a description states, for the range/unit column: "from A to B", "above A",
 * "A or more", "0 to N_n − 1"; "in seconds", "per second", "MiB".
 */
export function rangeUnit(text = '') {
  const t = text.replace(/\s+/g, ' ');
  const number = String.raw`-?\d[\d,.]*(?:\s*[−-]\s*1)?|N_n(?:\s*[−-]\s*1)?`;
  const trim = (s) => s.replace(/[.,;]+$/, '');
  const parts = [];
  const between = new RegExp(`(?:from )?(${number}) to (${number})`).exec(t);
  const above = /\babove (-?\d+(?:\.\d+)?)/.exec(t);
  const atLeast = /\b(-?\d+(?:\.\d+)?) or more\b/.exec(t);
  if (between) parts.push(`${trim(between[1])} to ${trim(between[2])}`);
  else if (above) parts.push(`> ${above[1]}`);
  else if (atLeast) parts.push(`≥ ${atLeast[1]}`);
  if (/ticks per second/i.test(t)) parts.push('ticks/s');
  else if (/\bseconds?\b/.test(t)) parts.push('s');
  else if (/\bMiB\b/.test(t)) parts.push('MiB');
  else if (/\bticks\b/i.test(t)) parts.push('ticks');
  return parts.join(', ');
}

function table(head, rows) {
  if (rows.length === 0) return '_None._\n';
  return (
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...rows.map(
        (r) => `| ${r.map((c) => (String(c ?? '').startsWith('`') ? c : cell(c))).join(' | ')} |`,
      ),
    ].join('\n') + '\n'
  );
}

/** The reference as markdown (before prettier). */
export function renderMarkdown(
  manifest = readManifest(),
  details = readEventDetails(),
  params = readParams(),
) {
  const lines = [
    '# API reference',
    '',
    'Generated by `npm run api` (scripts/api-reference.mjs) from the custom elements manifest,',
    'the event types of components/pc-network/events.ts and the parameter table of',
    'src/model/params.ts. Do not edit by hand.',
    '',
  ];
  const elements = manifest.modules.flatMap((m) =>
    (m.declarations ?? []).filter((d) => d.customElement).map((d) => ({ ...d, path: m.path })),
  );
  for (const el of elements) {
    const members = el.members ?? [];
    const pub = (m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.static;
    lines.push(`## \`<${el.tagName}>\``, '', `Source: ${el.path}`, '', cell(el.description), '');
    lines.push('### Attributes', '');
    lines.push(
      table(
        ['Attribute', 'Property', 'Type', 'Default', 'Range / unit', 'Description'],
        (el.attributes ?? []).map((a) => [
          code(a.name),
          code(a.fieldName),
          code(a.type?.text),
          code(resolveDefault(a.default)),
          rangeUnit(a.description),
          a.description,
        ]),
      ),
    );
    const attrFields = new Set((el.attributes ?? []).map((a) => a.fieldName));
    lines.push('### Properties that are not attributes', '');
    lines.push(
      table(
        ['Property', 'Type', 'Read-only', 'Description'],
        members
          .filter((m) => m.kind === 'field' && pub(m) && !attrFields.has(m.name))
          .map((m) => [code(m.name), code(m.type?.text), m.readonly ? 'yes' : '', m.description]),
      ),
    );
    lines.push('### Methods', '');
    lines.push(
      table(
        ['Method', 'Returns', 'Description'],
        members
          .filter((m) => m.kind === 'method' && pub(m))
          .map((m) => {
            const params = (m.parameters ?? [])
              .map(
                (p) =>
                  `${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type.text}` : ''}${p.default ? ` = ${p.default}` : ''}`,
              )
              .join(', ');
            return [code(`${m.name}(${params})`), code(m.return?.type?.text), m.description];
          }),
      ),
    );
    lines.push('### Events', '');
    lines.push(
      table(
        ['Event', 'Detail type', 'Description'],
        (el.events ?? []).map((e) => [
          code(e.name),
          code(details.get(e.name) ?? e.type?.text),
          e.description,
        ]),
      ),
    );
    lines.push('### CSS custom properties', '');
    lines.push(
      table(
        ['Property', 'Default', 'Description'],
        (el.cssProperties ?? []).map((p) => [code(p.name), code(p.default), p.description]),
      ),
    );
    lines.push('### CSS parts', '');
    lines.push(
      table(
        ['Part', 'Description'],
        (el.cssParts ?? []).map((p) => [code(p.name), p.description]),
      ),
    );
    if (el.slots?.length) {
      lines.push('### Slots', '');
      lines.push(
        table(
          ['Slot', 'Description'],
          el.slots.map((s) => [code(s.name), s.description]),
        ),
      );
    }
  }
  lines.push(...parameterSection(params));
  return lines.join('\n');
}

/** The "Parameters" section: one row of PARAMS each, as the spec, the element and pcnet read it. */
function parameterSection({ PARAMS, rangeShort }) {
  const value = (p) => (p.name === 'layers' ? 'required' : code(JSON.stringify(p.default)));
  return [
    '## Parameters',
    '',
    'Every field of the network spec (`NetworkSpec`, `resolveSpec`), from the table `PARAMS` of',
    'src/model/params.ts: its attribute on `<pc-network>`, its `pcnet train` flag, the',
    "paper's symbol and equations, the default, the range (checked once at each boundary: the",
    'attribute, the flag, the weights file), the unit, and whether a change applies to the',
    'running network (live) or builds a new one (structural).',
    '',
    table(
      [
        'Field',
        'Attribute',
        'CLI flag',
        'Symbol',
        'Equations',
        'Default',
        'Range',
        'Unit',
        'Change',
        'Description',
      ],
      PARAMS.map((p) => [
        code(p.name),
        p.attribute ? code(p.attribute) : '',
        p.flag ? code(p.flag) : '',
        p.symbol,
        p.equations.join(', '),
        value(p),
        rangeShort(p.range),
        p.unit ?? '',
        p.change,
        p.doc,
      ]),
    ),
  ];
}

/** The markdown after prettier, as committed. */
export async function renderFormatted() {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(out)) ?? {};
  return prettier.format(renderMarkdown(), { ...options, filepath: out });
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Inline markdown (`code`) to HTML. */
const inline = (s) =>
  escape(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\\\|/g, '|');

/** The same reference as a whole HTML page, with the gallery's stylesheet inlined. */
export function renderHtml(
  markdown = renderMarkdown(),
  css = readFileSync(join(repo, 'demo', 'demo.css'), 'utf8'),
) {
  const body = [];
  const rows = [];
  const flush = () => {
    if (rows.length === 0) return;
    const [head, , ...rest] = rows.splice(0);
    const cells = (r) =>
      r
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => inline(c.trim()));
    body.push(
      '<table><thead><tr>' +
        cells(head)
          .map((c) => `<th>${c}</th>`)
          .join('') +
        '</tr></thead><tbody>' +
        rest
          .map(
            (r) =>
              '<tr>' +
              cells(r)
                .map((c) => `<td>${c}</td>`)
                .join('') +
              '</tr>',
          )
          .join('') +
        '</tbody></table>',
    );
  };
  /** The lines of the paragraph being read (a paragraph ends at a blank line, as in markdown). */
  const text = [];
  const end = () => {
    if (text.length > 0) body.push(`<p>${inline(text.splice(0).join(' '))}</p>`);
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      end();
      rows.push(line);
      continue;
    }
    flush();
    const h = /^(#+) (.*)$/.exec(line);
    if (h) {
      end();
      body.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    } else if (line.trim()) text.push(line.trim());
    else end();
  }
  end();
  flush();
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>pc-network API reference</title>
    <style>
${css}
    </style>
    <style>
      main { max-width: 72rem; margin: auto; padding: 1rem; }
      .wide { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 0.9rem; }
      th, td { border: 1px solid #8884; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
    </style>
  </head>
  <body>
    <main><p><a href="../">← Gallery</a></p>
${body.map((b) => (b.startsWith('<table') ? `<div class="wide">${b}</div>` : b)).join('\n')}
    </main>
  </body>
</html>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await renderFormatted();
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {
      // missing: out of date
    }
    if (old !== text) {
      console.error('docs/api.md is out of date: run `npm run api`.');
      process.exit(1);
    }
    console.log('docs/api.md is up to date.');
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${relative(repo, out)}`);
  }
}
