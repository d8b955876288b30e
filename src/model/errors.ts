/**
 * The dynamics left the finite range: a state or error node became NaN or infinite, or its
 * magnitude passed `spec.divergenceLimit`. The tick that diverged is not committed, so the
 * network keeps the last finite state.
 */
export class DivergenceError extends Error {
  /** 0-based layer index; the paper's layer number is `layer + 1`. */
  readonly layer: number;
  /** The tick that would have diverged (the network's tick count is still the one before). */
  readonly tick: number;
  /** Which nodes diverged: state (`x`) or error (`eps`). */
  readonly quantity: 'x' | 'eps';
  /** The offending magnitude (NaN or a value above the limit). */
  readonly value: number;

  constructor(layer: number, tick: number, quantity: 'x' | 'eps', value: number, limit: number) {
    super(
      `diverged at tick ${tick}: ${quantity === 'x' ? 'state' : 'error'} nodes of layer ${layer + 1} ` +
        `reached ${Number.isNaN(value) ? 'NaN' : value.toExponential(3)} (limit ${limit}); ` +
        `the last finite state is kept`,
    );
    this.name = 'DivergenceError';
    this.layer = layer;
    this.tick = tick;
    this.quantity = quantity;
    this.value = value;
  }
}
