import { css } from 'lit';

/**
 * The element's own rules, then the few rules of uPlot's stylesheet (`uplot/dist/uPlot.min.css`,
 * 1.6.32) that a chart without legend, cursor or selection needs: a document stylesheet does
 * not reach into the shadow root, and a CSS import would need a bundler.
 */
export const styles = css`
  :host {
    display: block;
    min-width: 0;
    font-size: 0.75rem;
  }

  :host([hidden]) {
    display: none;
  }

  .title {
    font-weight: 500;
    opacity: 0.8;
  }

  .chart {
    position: relative;
    overflow: hidden;
  }

  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.9rem;
    margin: 0.15rem 0 0;
    padding: 0;
    list-style: none;
    font-variant-numeric: tabular-nums;
  }

  .swatch {
    display: inline-block;
    width: 0.8rem;
    height: 0.2rem;
    margin-right: 0.3rem;
    vertical-align: middle;
    background: var(--_c);
  }

  output {
    opacity: 0.8;
  }

  /* uPlot */
  .uplot,
  .uplot *,
  .uplot *::before,
  .uplot *::after {
    box-sizing: border-box;
  }

  .uplot {
    line-height: 1.5;
    width: min-content;
  }

  .u-wrap {
    position: relative;
    user-select: none;
  }

  .u-over,
  .u-under {
    position: absolute;
  }

  .u-under {
    overflow: hidden;
  }

  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }

  .u-axis {
    position: absolute;
  }

  .u-select {
    position: absolute;
    pointer-events: none;
  }

  .u-off {
    display: none;
  }
`;
