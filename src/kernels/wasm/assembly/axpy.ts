import { madd } from './simd';

/** out[j] ← out[j] + a·v[j] for j < n (see `../../js/axpy.ts`), four floats per step. */
export function axpy(out: usize, a: f64, v: usize, n: i32): void {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  const av = f32x4.splat(<f32>a);
  let j: usize = 0;
  for (; j < end4; j += 16) v128.store(out + j, madd(av, v128.load(v + j), v128.load(out + j)));
  const s = <f32>a;
  for (; j < end; j += 4) store<f32>(out + j, load<f32>(out + j) + s * load<f32>(v + j));
}
