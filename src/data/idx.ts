/**
 * The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
 * (two zero bytes, a type code, the number of dimensions), one big-endian u32 per dimension,
 * then the values. Only unsigned bytes (type code 0x08) are read: 0x00000803 for images
 * (count × rows × cols), 0x00000801 for labels (count).
 */

export interface IdxArray {
  /** The size of each dimension, outermost first. */
  dims: number[];
  /** The values, row-major; a view into the input bytes (no copy). */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX file of unsigned bytes; throws an `Error` naming the problem otherwise. */
export function parseIdx(input: Uint8Array | ArrayBuffer): IdxArray {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 4) {
    throw new Error(`IDX file: ${bytes.length} bytes, too short for the 4-byte magic number`);
  }
  const magic = hex(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`IDX file: bad magic number ${magic}, expected 0x000008NN (is it gzipped?)`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new Error(
      `IDX file: type code 0x${bytes[2].toString(16).padStart(2, '0')} in magic ${magic} is not supported, only unsigned bytes (0x08)`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw new Error(`IDX file: magic ${magic} declares 0 dimensions`);
  const dataStart = 4 + 4 * rank;
  if (bytes.length < dataStart) {
    throw new Error(
      `IDX file: truncated header, ${rank} dimensions need ${dataStart} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - dataStart;
  if (have < size) {
    throw new Error(
      `IDX file: truncated data, dimensions ${dims.join('×')} need ${size} bytes, the file has ${have}`,
    );
  }
  if (have > size) {
    throw new Error(
      `IDX file: ${have - size} trailing bytes after the ${size} values of dimensions ${dims.join('×')}`,
    );
  }
  return { dims, data: bytes.subarray(dataStart) };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
