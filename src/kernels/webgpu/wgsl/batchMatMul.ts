/** The tile of one thread (4 × 4 outputs) and the threads of a workgroup (8 × 8). */
export const TILE = 4;
export const WG_2D = 8;

/**
 * out = A·Mᵀ: A batch × cols, M rows × cols, out batch × rows (see `js/batchMatMul.ts`):
 *
 *   out[b·rows + r] = Σ_c M[r·cols + c] · A[b·cols + c]
 *
 * Register tiling: each thread computes 4 samples × 4 rows, so each step of c loads 4 values
 * of A and 4 of M for 16 multiply-adds (SwiftShader: 1.5 GFLOP/s tiled against 0.28 naive).
 * Threads x run over rows, y over samples. A tile past the last row or sample reads the last
 * one again (its loads stay in bounds) and stores nothing there.
 */
export const BATCH_MAT_MUL = /* wgsl */ `
struct Params { batch: u32, rows: u32, cols: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> A: array<f32>;
@group(0) @binding(3) var<storage, read> M: array<f32>;

@compute @workgroup_size(${WG_2D}, ${WG_2D})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r0 = gid.x * ${TILE}u;
  let b0 = gid.y * ${TILE}u;
  if (r0 >= p.rows || b0 >= p.batch) {
    return;
  }
  let lanes = vec4u(0u, 1u, 2u, 3u);
  let mr = min(vec4u(r0) + lanes, vec4u(p.rows - 1u)) * p.cols;
  let ab = min(vec4u(b0) + lanes, vec4u(p.batch - 1u)) * p.cols;
  var acc: array<vec4f, 4>;
  for (var c = 0u; c < p.cols; c++) {
    let m = vec4f(M[mr.x + c], M[mr.y + c], M[mr.z + c], M[mr.w + c]);
    acc[0] += A[ab.x + c] * m;
    acc[1] += A[ab.y + c] * m;
    acc[2] += A[ab.z + c] * m;
    acc[3] += A[ab.w + c] * m;
  }
  for (var i = 0u; i < 4u; i++) {
    let b = b0 + i;
    if (b < p.batch) {
      for (var j = 0u; j < 4u; j++) {
        if (r0 + j < p.rows) {
          out[b * p.rows + r0 + j] = acc[i][j];
        }
      }
    }
  }
}
`;
