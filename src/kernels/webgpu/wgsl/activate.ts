import { COMMON } from './common';

/**
 * s = σ(x), ds = σ'(x) for j < n, `kind` a code of ACTIVATION (see `js/activate.ts`). The
 * branch on `kind` is uniform. Written for relative accuracy in f32 where the obvious forms
 * lose it: tanh by its series near 0 (where (1 − e)/(1 + e) cancels) and σ' as 4e/(1 + e)²,
 * the logistic's σ' as e/(1 + e)² with e = exp(−|x|) (1 − σ cancels for large x, and e never
 * overflows). A NaN in x gives NaN in s and ds, as in the JavaScript kernel (relu's ds: 0).
 */
export const ACTIVATE = /* wgsl */ `${COMMON}
struct Params { n: u32, kind: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> ds: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;

/** tanh and its derivative, (σ, σ'). */
fn tanhPair(v: f32) -> vec2f {
  let ax = abs(v);
  if (ax < 0.55) {
    let y = v * v;
    let c = -0.3333333333 + y * (0.1333333333 + y * (-0.0539682540 + y * (0.0218694885
      + y * (-0.0088632355 + y * (0.0035921280 + y * (-0.0014558344 + y * 0.0005900274))))));
    let t = v * (1.0 + y * c);
    return vec2f(t, 1.0 - t * t);
  }
  let e = exp(-2.0 * ax);
  let t = (1.0 - e) / (1.0 + e);
  let d = 1.0 + e;
  return vec2f(select(t, -t, v < 0.0), 4.0 * e / (d * d));
}

/** The logistic and its derivative, (σ, σ'). */
fn logisticPair(v: f32) -> vec2f {
  let e = exp(-abs(v));
  let d = 1.0 + e;
  return vec2f(select(e / d, 1.0 / d, v >= 0.0), e / (d * d));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  for (var j = gid.x; j < p.n; j += nwg.x * WG) {
    let v = x[j];
    var r = vec2f(v, 1.0);
    switch (p.kind) {
      case 1u: { r = tanhPair(v); }
      case 2u: { r = logisticPair(v); }
      case 3u: { r = vec2f(max(v, 0.0), select(0.0, 1.0, v > 0.0)); }
      default: {}
    }
    if (isNan(v) && p.kind != 0u) {
      r = vec2f(v, select(v, 0.0, p.kind == 3u));
    }
    s[j] = r.x;
    ds[j] = r.y;
  }
}
`;
