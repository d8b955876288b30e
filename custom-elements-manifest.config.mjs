// The custom elements manifest, dist/custom-elements.json (`npm run build:lib` runs `cem analyze`),
// read by the stock analyzer from the elements' classes and JSDoc: attributes and properties
// (with `@default`), methods, events (`@fires`), CSS parts (`@csspart`), CSS custom properties
// (`@cssproperty`) and slots (`@slot`), one tag a line. Events are sent through `emit()` in
// components/pc-network/events.ts, outside the class, so that only `@fires` names them.
export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.test.ts', '**/*.d.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the manifest itself ("customElements").
  packagejson: false,
};
