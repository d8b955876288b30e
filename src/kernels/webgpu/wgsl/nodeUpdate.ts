import { COMMON } from './common';

/**
 * The fused Euler step of one layer's ε and x over n = batch·N elements (eqs. 2.2, 2.3, 3.2,
 * 3.4, 3.11; see `js/nodeUpdate.ts`):
 *
 *   ε ← ε + k·(x − μ − ν·ε),   x ← x + k·(drive − a·ε − λx·x)
 *
 * with drive = 0 (`form` 0: the top layer, no fb), fb (`form` 1: σ' ≡ 1) or fb·ds (`form` 2).
 * The running maxima |xOut|, |epsOut|, |Δx|, |Δε| go to stats[at .. at + 3] as bits (see
 * `common.ts`): per thread, then per workgroup in shared atomics, then one global atomicMax
 * each per workgroup. The caller clears the stats; a NaN anywhere makes its stat NaN.
 */
export const NODE_UPDATE = /* wgsl */ `${COMMON}
struct Params { n: u32, form: u32, at: u32, k: f32, a: f32, nu: f32, lambdaX: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> xOut: array<f32>;
@group(0) @binding(2) var<storage, read_write> epsOut: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> eps: array<f32>;
@group(0) @binding(6) var<storage, read> mu: array<f32>;
@group(0) @binding(7) var<storage, read> fb: array<f32>;
@group(0) @binding(8) var<storage, read> ds: array<f32>;

var<workgroup> wmax: array<atomic<u32>, 4>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(num_workgroups) nwg: vec3u,
) {
  var m = vec4u(0u);
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    let xo = x[j];
    let eo = eps[j];
    var drive = 0.0;
    if (p.form == 1u) {
      drive = fb[j];
    } else if (p.form == 2u) {
      drive = fb[j] * ds[j];
    }
    let xn = xo + p.k * (drive - p.a * eo - p.lambdaX * xo);
    let en = eo + p.k * (xo - mu[j] - p.nu * eo);
    xOut[j] = xn;
    epsOut[j] = en;
    m = max(m, vec4u(absBits(xn), absBits(en), absBits(xn - xo), absBits(en - eo)));
  }
  for (var i = 0u; i < 4u; i++) {
    atomicMax(&wmax[i], m[i]);
  }
  workgroupBarrier();
  if (lid < 4u) {
    atomicMax(&stats[p.at + lid], atomicLoad(&wmax[lid]));
  }
}
`;
