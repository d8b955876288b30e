import { COMMON } from './common';

/** ε[j] = (x[j] − μ[j]) / ν for j < n, eq. 2.4 (see `js/errorEquilibrium.ts`). */
export const ERROR_EQUILIBRIUM = /* wgsl */ `${COMMON}
struct Params { n: u32, nu: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> eps: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mu: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    eps[j] = (x[j] - mu[j]) / p.nu;
  }
}
`;
