/** Every case of `npm run bench`, in the order they run. */
import type { BenchCase } from '../case';
import { accelerated } from './accelerated';
import { browser } from './browser';
import { check } from './check';
import { gemm } from './gemm';
import { heap } from './heap';
import { mainthread } from './mainthread';
import { pool } from './pool';
import { small } from './small';
import { split } from './split';
import { streams } from './streams';
import { ticks } from './ticks';
import { trainer } from './trainer';
import { webgpu } from './webgpu';

export const CASES: readonly BenchCase[] = [
  gemm,
  check,
  ticks,
  accelerated,
  small,
  heap,
  streams,
  pool,
  trainer,
  split,
  mainthread,
  browser,
  webgpu,
];
