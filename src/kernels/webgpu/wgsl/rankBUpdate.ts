import { TILE, WG_2D } from './batchMatMul';

/**
 * Rank-B update with decay, in place (eqs. 2.9, 2.10 with 3.12's decay; see
 * `js/rankBUpdate.ts`): U batch × rows, V batch × cols, M rows × cols,
 *
 *   M[r,c] ← keep·M[r,c] + scale·Σ_b U[b·rows + r]·V[b·cols + c],   keep = 1 − decay
 *
 * Register tiling as in `batchMatMul.ts`: each thread owns 4 rows × 4 columns of M and sums
 * the batch in registers (4 + 4 loads for 16 multiply-adds a sample), then reads and writes
 * its M once. Threads x run over columns, y over rows.
 */
export const RANK_B_UPDATE = /* wgsl */ `
struct Params { batch: u32, rows: u32, cols: u32, scale: f32, keep: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> M: array<f32>;
@group(0) @binding(2) var<storage, read> U: array<f32>;
@group(0) @binding(3) var<storage, read> V: array<f32>;

@compute @workgroup_size(${WG_2D}, ${WG_2D})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c0 = gid.x * ${TILE}u;
  let r0 = gid.y * ${TILE}u;
  if (c0 >= p.cols || r0 >= p.rows) {
    return;
  }
  let lanes = vec4u(0u, 1u, 2u, 3u);
  let rr = min(vec4u(r0) + lanes, vec4u(p.rows - 1u));
  let cc = min(vec4u(c0) + lanes, vec4u(p.cols - 1u));
  var acc: array<vec4f, 4>;
  for (var b = 0u; b < p.batch; b++) {
    let i = b * p.rows;
    let j = b * p.cols;
    let u = vec4f(U[i + rr.x], U[i + rr.y], U[i + rr.z], U[i + rr.w]);
    let v = vec4f(V[j + cc.x], V[j + cc.y], V[j + cc.z], V[j + cc.w]);
    acc[0] += u.x * v;
    acc[1] += u.y * v;
    acc[2] += u.z * v;
    acc[3] += u.w * v;
  }
  for (var i = 0u; i < 4u; i++) {
    let r = r0 + i;
    if (r < p.rows) {
      for (var j = 0u; j < 4u; j++) {
        let c = c0 + j;
        if (c < p.cols) {
          let o = r * p.cols + c;
          M[o] = p.keep * M[o] + p.scale * acc[i][j];
        }
      }
    }
  }
}
`;
