/**
 * WGSL shared by the kernels. WGSL leaves NaN to the implementation (`max`, `min`, `clamp`
 * and even `x != x` may drop it), so NaN is told by its bits: an f32 whose bits without the
 * sign exceed those of +∞. The same trick makes the maxima NaN-propagating: |v| as bits
 * (sign cleared) orders like |v| for every finite value and ∞, and every NaN is above them,
 * so an `atomicMax` over those bits is a max that a NaN anywhere makes NaN.
 */

/** The workgroup size of the elementwise kernels (a multiple of 64 suits every vendor). */
export const WG = 256;

export const COMMON = /* wgsl */ `
const WG: u32 = ${WG}u;

/** |v| as bits, sign cleared: ordered as |v|, NaN above +inf. */
fn absBits(v: f32) -> u32 {
  return bitcast<u32>(v) & 0x7fffffffu;
}

fn isNan(v: f32) -> bool {
  return absBits(v) > 0x7f800000u;
}
`;
