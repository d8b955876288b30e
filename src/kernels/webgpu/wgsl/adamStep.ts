import { COMMON } from './common';

/**
 * One Adam step of n weights in place (see `js/adamStep.ts`, the reference):
 *
 *   γ = g − λ·w,  m ← β1·m + (1 − β1)·γ,  v ← β2·v + (1 − β2)·γ²,
 *   w ← keep·w + step·m / (√(v·c2) + ε)
 *
 * in f32 (the reference computes in doubles and rounds once per store).
 */
export const ADAM_STEP = /* wgsl */ `${COMMON}
struct Params { n: u32, step: f32, beta1: f32, beta2: f32, c2: f32, epsilon: f32, lambda: f32, keep: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    let wj = w[j];
    let gj = g[j] - p.lambda * wj;
    let mj = p.beta1 * m[j] + (1.0 - p.beta1) * gj;
    let vj = p.beta2 * v[j] + (1.0 - p.beta2) * gj * gj;
    m[j] = mj;
    v[j] = vj;
    w[j] = p.keep * wj + p.step * mj / (sqrt(vj * p.c2) + p.epsilon);
  }
}
`;
