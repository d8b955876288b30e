/** The largest layer drawn node by node (as SVG); larger layers are drawn as canvas grids. */
export const SMALL_LAYER = 64;

/**
 * The rows × columns of the image a large layer is drawn as: square when the size is a square
 * (784 → 28 × 28, an MNIST digit), else the landscape grid nearest 2:3 whose rows divide the
 * size (600 → 20 × 30), else a near-square grid with a ragged last row.
 */
export function gridShape(n: number): { rows: number; cols: number } {
  const side = Math.round(Math.sqrt(n));
  if (side * side === n) return { rows: side, cols: side };
  for (let rows = Math.floor(Math.sqrt((2 * n) / 3)); rows >= 2; rows--) {
    const cols = n / rows;
    if (Number.isInteger(cols) && cols <= 2 * rows) return { rows, cols };
  }
  const cols = Math.ceil(Math.sqrt(n));
  return { rows: Math.ceil(n / cols), cols };
}
