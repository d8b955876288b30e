import { COMMON } from './common';

/**
 * out[j] ← out[j] + a·v[j] for j < n (see `js/axpy.ts`). A grid-stride loop, so that any n
 * fits the 65,535 workgroups of one dimension.
 */
export const AXPY = /* wgsl */ `${COMMON}
struct Params { n: u32, a: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    out[j] = out[j] + p.a * v[j];
  }
}
`;
