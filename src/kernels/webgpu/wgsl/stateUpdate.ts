import { COMMON } from './common';

/**
 * The state nodes' Euler step alone, in place (the accelerated method; see
 * `js/stateUpdate.ts`): x ← x + k·(drive − a·ε − λx·x), drive as in `nodeUpdate.ts` (`form`
 * 0, 1, 2). The running max |Δx| goes to stats[at] as bits (see `common.ts`), reduced per
 * workgroup first; the caller clears it. A NaN anywhere makes it NaN.
 */
export const STATE_UPDATE = /* wgsl */ `${COMMON}
struct Params { n: u32, form: u32, at: u32, k: f32, a: f32, lambdaX: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> fb: array<f32>;
@group(0) @binding(4) var<storage, read> ds: array<f32>;
@group(0) @binding(5) var<storage, read> eps: array<f32>;

var<workgroup> wmax: atomic<u32>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(num_workgroups) nwg: vec3u,
) {
  var m = 0u;
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    let xo = x[j];
    var drive = 0.0;
    if (p.form == 1u) {
      drive = fb[j];
    } else if (p.form == 2u) {
      drive = fb[j] * ds[j];
    }
    let xn = xo + p.k * (drive - p.a * eps[j] - p.lambdaX * xo);
    x[j] = xn;
    m = max(m, absBits(xn - xo));
  }
  atomicMax(&wmax, m);
  workgroupBarrier();
  if (lid == 0u) {
    atomicMax(&stats[p.at], atomicLoad(&wmax));
  }
}
`;
