// The custom elements manifest, dist/custom-elements.json (`npm run build:lib` runs `cem analyze`),
// read from the elements' classes and JSDoc: attributes, properties, methods, events (@fires),
// CSS parts (@csspart), CSS custom properties (@cssproperty) and slots (@slot).

/** Each list of the manifest, and the JSDoc tag that fills it. */
const TAGS = { cssParts: 'csspart', cssProperties: 'cssproperty', slots: 'slot', events: 'fires' };

function* elements(manifest) {
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.customElement) yield declaration;
    }
  }
}

/**
 * Reads `@csspart a - The A. @csspart b - The B.` on one line as two parts (the analyzer keeps
 * the second tag in the first one's description).
 */
function tagsOnOneLine() {
  return {
    name: 'pc-tags-on-one-line',
    packageLinkPhase({ customElementsManifest }) {
      for (const element of elements(customElementsManifest)) {
        for (const [list, tag] of Object.entries(TAGS)) {
          element[list] = element[list]?.flatMap((item) => {
            const [description, ...more] = (item.description ?? '').split(
              new RegExp(`\\s+@${tag}\\s+`),
            );
            if (more.length === 0) return [item];
            const rest = more.map((text) => {
              const [, name, about] = /^(\S+)\s*(?:-\s*)?([\s\S]*)$/.exec(text);
              return { name, description: about.trim() };
            });
            return [{ ...item, description: description.trim() }, ...rest];
          });
        }
      }
    },
  };
}

/**
 * Keeps only the events that `@fires` documents. The analyzer also reads the one
 * `dispatchEvent(new CustomEvent(type, …))` in the element's `emit()` as an event named "type".
 */
function documentedEventsOnly() {
  return {
    name: 'pc-documented-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const element of elements(customElementsManifest)) {
        element.events = element.events?.filter((event) => event.description);
      }
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.test.ts', '**/*.d.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the manifest itself ("customElements").
  packagejson: false,
  plugins: [tagsOnOneLine(), documentedEventsOnly()],
};
