/**
 * Saving and loading a network (spec + weights) as a safetensors file.
 *
 * Format (https://github.com/huggingface/safetensors), all little-endian:
 * - 8 bytes: the header length H, an unsigned 64-bit integer;
 * - H bytes: a UTF-8 JSON object, padded with spaces so that H is a multiple of 8;
 * - the data section: float32 values, the tensors back to back, row-major.
 *
 * The header has one entry per weight matrix, `{"dtype":"F32","shape":[r,c],
 * "data_offsets":[begin,end]}` (byte offsets into the data section), named `M.0`, `W.0`, `M.1`,
 * `W.1`, ...: `M.k` is the paper's M(k+1), the forward matrix from layer k+1 to layer k+2, shape
 * [N_{k+2}, N_{k+1}]; `W.k` is W(k+1), the backward matrix, shape [N_{k+1}, N_{k+2}]. The writer
 * stores them in that order; the reader accepts any order whose offsets tile the data section
 * exactly (Python's `save_file` sorts them by name). The spec goes in `__metadata__`, whose
 * values must be strings: `{"spec": JSON.stringify(spec), "format": "pc-network",
 * "version": "1"}`. The reader requires `spec`; `format` and `version` may be absent but not
 * different. Other string entries (a network trained on a file keeps its class names and
 * scaling under `dataset`) are written as given and read back as `metadata`; files without
 * them read as before.
 *
 * In Python:
 *
 *     import json
 *     from safetensors import safe_open
 *     from safetensors.numpy import load_file
 *     weights = load_file("net.safetensors")  # {"M.0": float32 array (N2, N1), "W.0": ...}
 *     with safe_open("net.safetensors", "np") as f:
 *         spec = json.loads(f.metadata()["spec"])  # {"layers": [784, 600, 10], ...}
 */
import { resolveSpec, SpecError, type NetworkSpec } from '../model/spec';

export type WeightsFileReason =
  | 'truncated'
  | 'header'
  | 'json'
  | 'metadata'
  | 'spec'
  | 'names'
  | 'dtype'
  | 'shape'
  | 'offsets'
  | 'size'
  | 'nonfinite';

/** Why a weights file was rejected: `reason` is a short code, the message names the bad thing. */
export class WeightsFileError extends Error {
  constructor(
    readonly reason: WeightsFileReason,
    message: string,
  ) {
    super(`weights file: ${message}`);
    this.name = 'WeightsFileError';
  }
}

export interface DecodeLimits {
  /** The largest file accepted, in bytes. Default 512 MiB. */
  maxBytes?: number;
  /** The largest JSON header accepted, in bytes. Default 16 MiB. */
  maxHeaderBytes?: number;
}

export const FORMAT_NAME = 'pc-network';
export const FORMAT_VERSION = '1';
/** The metadata keys of the format itself; the others (e.g. `dataset`) travel as given. */
const RESERVED = ['spec', 'format', 'version'];

const fail = (reason: WeightsFileReason, message: string) => new WeightsFileError(reason, message);
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** Tensor names and shapes, in file order, for the given layer sizes. */
function expectedTensors(layers: readonly number[]): { name: string; shape: number[] }[] {
  return layers.slice(1).flatMap((next, k) => [
    { name: `M.${k}`, shape: [next, layers[k]] },
    { name: `W.${k}`, shape: [layers[k], next] },
  ]);
}

/** Encodes a network as safetensors bytes; throws a {@link WeightsFileError} if a size is off. */
export function encodeNetwork(
  spec: NetworkSpec,
  M: readonly Float32Array[],
  W: readonly Float32Array[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const layers = spec.layers.join('-');
  const pairs = spec.layers.length - 1;
  if (M.length !== pairs || W.length !== pairs) {
    const got = `${M.length} M and ${W.length} W matrices`;
    throw fail('names', `got ${got}, expected ${pairs} of each for layers ${layers}`);
  }
  const tensors = expectedTensors(spec.layers).map(({ name, shape }, i) => {
    const a = (i % 2 === 0 ? M : W)[i >> 1];
    const want = `[${shape}] = ${shape[0] * shape[1]}`;
    if (a.length !== shape[0] * shape[1]) {
      throw fail('shape', `tensor "${name}" has ${a.length} values, expected ${want} (${layers})`);
    }
    return { name, shape, a };
  });
  const header: Record<string, unknown> = {
    __metadata__: {
      ...metadata,
      spec: JSON.stringify(spec),
      format: FORMAT_NAME,
      version: FORMAT_VERSION,
    },
  };
  let end = 0;
  for (const { name, shape, a } of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [end, end + 4 * a.length] };
    end += 4 * a.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + end).fill(0x20, 8, 8 + headerLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high 32 bits stay 0
  out.set(json, 8);
  let at = 8 + headerLength;
  for (const { name, a } of tensors) {
    for (let j = 0; j < a.length; j++, at += 4) {
      if (!Number.isFinite(a[j])) {
        throw fail('nonfinite', `tensor "${name}" has ${a[j]} at index ${j}`);
      }
      view.setFloat32(at, a[j], true);
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Decodes safetensors bytes written by {@link encodeNetwork} (or by Python with the same names),
 * checking everything; returns the resolved spec and fresh copies of the weights.
 */
export function decodeNetwork(
  input: Uint8Array | ArrayBuffer,
  limits: DecodeLimits = {},
): { spec: NetworkSpec; M: Float32Array[]; W: Float32Array[]; metadata: Record<string, string> } {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const { maxBytes = 512 * 2 ** 20, maxHeaderBytes = 16 * 2 ** 20 } = limits;
  if (bytes.length < 8) throw fail('truncated', `${bytes.length} bytes, too short for a header`);
  if (bytes.length > maxBytes) {
    throw fail('size', `${bytes.length} bytes, more than the limit of ${maxBytes}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > maxHeaderBytes) {
    throw fail('header', `header length ${headerLength} exceeds the limit of ${maxHeaderBytes}`);
  }
  const dataStart = 8 + headerLength;
  if (dataStart > bytes.length) {
    throw fail('truncated', `header length ${headerLength} runs past the end (${bytes.length})`);
  }
  let header: unknown;
  try {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    header = JSON.parse(utf8.decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw fail('json', `header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw fail('header', 'header is not a JSON object');
  const spec = readSpec(header.__metadata__);
  const layers = spec.layers.join('-');
  const tensors = expectedTensors(spec.layers);

  const expected = tensors.map((t) => t.name);
  const missing = expected.filter((n) => !Object.hasOwn(header, n));
  const unexpected = Object.keys(header).filter(
    (n) => n !== '__metadata__' && !expected.includes(n),
  );
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [missing.length > 0 ? `missing ${quoted(missing)}` : ''];
    if (unexpected.length > 0) parts.push(`unexpected ${quoted(unexpected)}`);
    const problems = parts.filter(Boolean).join('; ');
    throw fail('names', `tensors do not match layers ${layers}: ${problems}`);
  }

  const spans = tensors.map(({ name, shape }) => {
    const entry = header[name];
    if (!isObject(entry)) throw fail('header', `tensor "${name}" is not an object`);
    const { dtype, shape: s, data_offsets: o } = entry;
    if (dtype !== 'F32') {
      throw fail('dtype', `tensor "${name}" has dtype ${JSON.stringify(dtype)}, expected "F32"`);
    }
    if (!Array.isArray(s) || s.length !== 2 || s[0] !== shape[0] || s[1] !== shape[1]) {
      const got = JSON.stringify(s);
      throw fail(
        'shape',
        `tensor "${name}" has shape ${got}, expected [${shape}] for layers ${layers}`,
      );
    }
    if (!Array.isArray(o) || o.length !== 2 || !isIndex(o[0]) || !isIndex(o[1]) || o[0] > o[1]) {
      const got = JSON.stringify(o);
      throw fail('offsets', `tensor "${name}" has data_offsets ${got}, not [begin, end] integers`);
    }
    const [begin, end] = o as [number, number];
    if (end - begin !== 4 * shape[0] * shape[1]) {
      const want = `${4 * shape[0] * shape[1]} for shape [${shape}]`;
      throw fail('offsets', `tensor "${name}" spans ${end - begin} bytes [${o}], expected ${want}`);
    }
    return { name, begin, end };
  });
  let end = 0;
  for (const span of spans.slice().sort((a, b) => a.begin - b.begin)) {
    if (span.begin !== end) {
      const where = `begins at byte ${span.begin}, expected ${end}`;
      throw fail('offsets', `tensor "${span.name}" ${where}: not contiguous (overlap or gap)`);
    }
    end = span.end;
  }
  const dataLength = bytes.length - dataStart;
  if (end > dataLength) {
    throw fail('truncated', `the tensors need ${end} data bytes, the file has ${dataLength}`);
  }
  if (end < dataLength) {
    throw fail('size', `${dataLength - end} trailing bytes after the last tensor (at ${end})`);
  }

  const arrays = spans.map(({ name, begin, end: stop }) => {
    const a = new Float32Array((stop - begin) / 4);
    for (let j = 0; j < a.length; j++) {
      a[j] = view.getFloat32(dataStart + begin + 4 * j, true);
      if (!Number.isFinite(a[j])) {
        throw fail('nonfinite', `tensor "${name}" has ${a[j]} at index ${j}`);
      }
    }
    return a;
  });
  const M = arrays.filter((_, i) => i % 2 === 0);
  const metadata = Object.fromEntries(
    Object.entries(header.__metadata__ as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && !RESERVED.includes(e[0]),
    ),
  );
  return { spec, M, W: arrays.filter((_, i) => i % 2 === 1), metadata };
}

/** Reads and checks `__metadata__`; returns the resolved spec. */
function readSpec(meta: unknown): NetworkSpec {
  if (!isObject(meta)) throw fail('metadata', 'header has no __metadata__ object');
  for (const [key, want] of [
    ['format', FORMAT_NAME],
    ['version', FORMAT_VERSION],
  ]) {
    if (meta[key] !== undefined && meta[key] !== want) {
      const got = JSON.stringify(meta[key]);
      throw fail('metadata', `__metadata__.${key} is ${got}, expected "${want}"`);
    }
  }
  if (typeof meta.spec !== 'string') {
    throw fail('metadata', '__metadata__.spec is missing or not a string');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(meta.spec);
  } catch (e) {
    throw fail('spec', `__metadata__.spec is not valid JSON (${(e as Error).message})`);
  }
  try {
    return resolveSpec(raw as Parameters<typeof resolveSpec>[0]);
  } catch (e) {
    if (e instanceof SpecError) throw fail('spec', `bad spec in __metadata__: ${e.message}`);
    throw e;
  }
}
