import { css } from 'lit';

/**
 * Every colour and size comes from a public custom property with a default for light pages and
 * one for dark pages (`prefers-color-scheme`); the private `--_*` names are what the rules use.
 */
export const styles = css`
  :host {
    color-scheme: light dark;
    --_bg: var(--pc-bg, #ffffff);
    --_fg: var(--pc-fg, #1d2127);
    --_pos: var(--pc-positive, #c2410c);
    --_neg: var(--pc-negative, #1d64c8);
    --_zero: var(--pc-zero, color-mix(in srgb, var(--_fg) 10%, var(--_bg)));
    --_muted: color-mix(in srgb, var(--_fg) 65%, var(--_bg));
    --_line: color-mix(in srgb, var(--_fg) 35%, var(--_bg));
    --_focus: var(--pc-focus, #7c3aed);
    --_error: #b42318;
    --_node: var(--pc-node-size, 22px);
    --_target: 0px;
    --_cell: max(3px, calc(var(--_node) * 0.28));

    display: block;
    box-sizing: border-box;
    padding: 0.75rem;
    border: 1px solid var(--_line);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    font: var(--pc-font, 0.875rem/1.4 var(--pc-font-family, system-ui, sans-serif));
    contain: content;
    max-width: 100%;
    min-width: 0;
  }

  /* Touch screens: every control a 44px target, nodes 44px across while the layer has room. */
  @media (pointer: coarse) {
    :host {
      --_node: max(var(--pc-node-size, 22px), 44px);
      --_target: 44px;
    }
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--pc-bg, #16191f);
      --_fg: var(--pc-fg, #e4e7ec);
      --_pos: var(--pc-positive, #fb923c);
      --_neg: var(--pc-negative, #60a5fa);
      --_focus: var(--pc-focus, #c4b5fd);
      --_error: #fda29b;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  p {
    margin: 0.5rem 0;
  }

  .error {
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--_error);
    background: color-mix(in srgb, var(--_error) 10%, var(--_bg));
    color: var(--_fg);
  }

  .controls,
  .classes {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem 0.6rem;
  }

  button,
  input,
  select,
  summary,
  label.button {
    min-height: var(--_target);
  }

  input[type='checkbox'] {
    min-width: var(--_target);
    min-height: var(--_target);
  }

  .term {
    text-decoration: underline dotted;
    text-underline-offset: 0.15em;
    cursor: help;
  }

  .term:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }

  button,
  input,
  select {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 4px;
    padding: 0.2rem 0.55rem;
  }

  button {
    cursor: pointer;
    min-width: max(2.2rem, var(--_target));
  }

  button:hover {
    background: var(--_zero);
  }

  button[aria-pressed='true'] {
    background: color-mix(in srgb, var(--_pos) 25%, var(--_bg));
    border-color: var(--_pos);
  }

  button.play {
    min-width: 4.5rem;
    font-weight: 600;
  }

  input[type='number'] {
    width: 5.5rem;
  }

  label {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    color: var(--_muted);
  }

  :is(button, input, select, .stage, circle.x):focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem 1.25rem;
    margin: 0.6rem 0;
    font-variant-numeric: tabular-nums;
  }

  .status div {
    display: flex;
    gap: 0.35rem;
  }

  .status dt {
    color: var(--_muted);
  }

  .status dd {
    margin: 0;
    font-weight: 600;
  }

  .stage {
    padding: 0.4rem 0.25rem;
    border-radius: 6px;
  }

  .legend {
    margin: 0 0 0.25rem;
    font-size: 0.75rem;
    color: var(--_muted);
  }

  .key-x,
  .key-eps {
    display: inline-block;
    width: 0.7rem;
    height: 0.7rem;
    margin-left: 0.5rem;
    vertical-align: -0.05rem;
    border: 1px solid var(--_line);
    background: linear-gradient(90deg, var(--_neg), var(--_zero), var(--_pos));
  }

  .key-x {
    border-radius: 50%;
  }

  .key-eps {
    border-radius: 2px;
  }

  .layer-title {
    margin: 0.25rem 0;
    font-size: 0.8rem;
    font-weight: 500;
    color: var(--_muted);
  }

  .cell {
    container-type: inline-size;
  }

  svg.nodes {
    display: block;
    width: 100%;
    /* One slot per node (viewBox 24 x 60, the circle 20 across): the circle is --_node wide
       until many nodes share the width, then it shrinks with its slot. */
    height: min(calc(var(--_node) * 3), calc(100cqw / var(--_n) * 2.5));
    overflow: visible;
  }

  .pair {
    stroke: var(--_line);
    stroke-width: 1;
  }

  circle.x {
    -webkit-touch-callout: none;
    user-select: none;
    stroke: var(--_line);
    stroke-width: 0.8;
    cursor: pointer;
  }

  circle.x:focus-visible {
    outline: none;
    stroke: var(--_focus);
    stroke-width: 2.5;
  }

  .ring {
    fill: none;
    stroke: var(--_fg);
    stroke-width: 1.8;
  }

  rect.eps {
    stroke: var(--_line);
    stroke-width: 0.8;
  }

  svg.edges {
    display: block;
    width: 100%;
    height: calc(var(--_node) * 1.6);
  }

  svg.edges line {
    stroke-width: 1;
  }

  svg.edges .pos {
    stroke: var(--_pos);
  }

  svg.edges .neg {
    stroke: var(--_neg);
  }

  .gap {
    height: 0.5rem;
  }

  .grids {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
  }

  figure.grid {
    margin: 0;
  }

  figure.grid canvas {
    display: block;
    width: calc(var(--_cols) * var(--_cell));
    max-width: 100%;
    height: auto;
    image-rendering: pixelated;
    border: 1px solid var(--_line);
  }

  figcaption {
    font-size: 0.75rem;
    color: var(--_muted);
  }

  .readout {
    min-height: 1.4em;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }

  figure.grid canvas.drawable {
    /* At least 8px a pixel, and no scrolling or zooming while a finger draws. */
    width: calc(var(--_cols) * max(var(--_cell), 8px));
    touch-action: none;
    cursor: crosshair;
  }

  .draw-tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem 0.6rem;
    font-size: 0.75rem;
    color: var(--_muted);
  }

  .plots {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: 0.75rem 1.25rem;
    margin: 0.5rem 0;
  }

  .settings {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    margin: 0.5rem 0;
  }

  .parameters {
    flex: 1 1 20rem;
  }

  summary {
    cursor: pointer;
    color: var(--_muted);
    font-weight: 500;
  }

  summary:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
    gap: 0.35rem 1rem;
    margin-top: 0.5rem;
  }

  .fields label {
    justify-content: space-between;
  }

  .fields input {
    width: 6rem;
  }

  .fields .name {
    min-width: 1.4rem;
    color: var(--_fg);
    font-weight: 600;
  }

  .fields .what {
    flex: 1;
    font-size: 0.75rem;
  }

  .file {
    display: flex;
    gap: 0.4rem;
  }

  .data {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }

  .data-summary {
    overflow-wrap: anywhere;
  }

  label.button {
    position: relative;
    padding: 0.2rem 0.55rem;
    border: 1px solid var(--_line);
    border-radius: 4px;
    color: var(--_fg);
    cursor: pointer;
  }

  label.button:hover {
    background: var(--_zero);
  }

  label.button:has(:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .announcer {
    font-weight: 600;
  }

  .announcer:empty {
    margin: 0;
  }
`;
