import { COMMON } from './common';

/**
 * The holds and clamps of one layer's next states (`Network`'s `applyLayerHolds`): for j < n,
 * x[j] ← value[j] where mask[j] ≠ 0 (the input X or target Y of a layer held whole, the clamp
 * values of clamped nodes), x[j] unchanged elsewhere. Then, as `layerStep` measures a layer
 * after its holds, the running maxima |x − prev| (0 when `whole`: a held layer does not move)
 * and |x| go to stats[at] and stats[at + 1] as bits (see `common.ts`). `prev` is the state of
 * the tick before (any other buffer, with `whole`, when the holds are put on a state outside a
 * tick: WebGPU forbids binding one buffer both writable and read).
 */
export const HOLD_NODES = /* wgsl */ `${COMMON}
struct Params { n: u32, whole: u32, at: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> prev: array<f32>;
@group(0) @binding(4) var<storage, read> value: array<f32>;
@group(0) @binding(5) var<storage, read> mask: array<f32>;

var<workgroup> wmax: array<atomic<u32>, 2>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(num_workgroups) nwg: vec3u,
) {
  var m = vec2u(0u);
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    var v = x[j];
    if (mask[j] != 0.0) {
      v = value[j];
      x[j] = v;
    }
    var d = 0u;
    if (p.whole == 0u) {
      d = absBits(v - prev[j]);
    }
    m = max(m, vec2u(d, absBits(v)));
  }
  atomicMax(&wmax[0], m[0]);
  atomicMax(&wmax[1], m[1]);
  workgroupBarrier();
  if (lid < 2u) {
    atomicMax(&stats[p.at + lid], atomicLoad(&wmax[lid]));
  }
}
`;
