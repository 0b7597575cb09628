// A reader of the binary little-endian PLY the query API serves for point clouds:
// x, y, z (float or double), then red/green/blue (uchar) or category (uchar).

const SIZES = { char: 1, int8: 1, uchar: 1, uint8: 1, short: 2, int16: 2, ushort: 2, uint16: 2, int: 4, int32: 4,
  uint: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8 };
const READERS = {
  char: 'getInt8', int8: 'getInt8', uchar: 'getUint8', uint8: 'getUint8', short: 'getInt16', int16: 'getInt16',
  ushort: 'getUint16', uint16: 'getUint16', int: 'getInt32', int32: 'getInt32', uint: 'getUint32', uint32: 'getUint32',
  float: 'getFloat32', float32: 'getFloat32', double: 'getFloat64', float64: 'getFloat64',
};

/** {count, positions: Float32Array(3n), colours: Uint8Array(3n)|null, categories: Uint8Array(n)|null, comments}. */
export function parsePly(buffer) {
  const { header, bodyOffset } = splitHeader(buffer);
  const lines = header.split('\n').map((l) => l.trim());
  if (!lines.includes('format binary_little_endian 1.0')) throw new Error('not a binary little-endian PLY');
  const vertex = vertexElement(lines);
  const view = new DataView(buffer, bodyOffset);
  const n = vertex.count;
  const positions = new Float32Array(n * 3);
  const has = (name) => vertex.props.has(name);
  const colours = has('red') && has('green') && has('blue') ? new Uint8Array(n * 3) : null;
  const categories = has('category') ? new Uint8Array(n) : null;
  const [x, y, z] = ['x', 'y', 'z'].map((name) => vertex.props.get(name));
  const [r, g, b] = colours ? ['red', 'green', 'blue'].map((name) => vertex.props.get(name)) : [];
  const c = categories ? vertex.props.get('category') : null;
  for (let i = 0, base = 0; i < n; i++, base += vertex.stride) {
    positions[i * 3] = view[x.read](base + x.offset, true);
    positions[i * 3 + 1] = view[y.read](base + y.offset, true);
    positions[i * 3 + 2] = view[z.read](base + z.offset, true);
    if (colours) {
      colours[i * 3] = view[r.read](base + r.offset, true);
      colours[i * 3 + 1] = view[g.read](base + g.offset, true);
      colours[i * 3 + 2] = view[b.read](base + b.offset, true);
    }
    if (categories) categories[i] = view[c.read](base + c.offset, true);
  }
  const comments = lines.filter((l) => l.startsWith('comment ')).map((l) => l.slice(8));
  return { count: n, positions, colours, categories, comments };
}

function splitHeader(buffer) {
  const bytes = new Uint8Array(buffer, 0, Math.min(buffer.byteLength, 4096));
  const text = new TextDecoder('ascii').decode(bytes);
  const end = text.indexOf('end_header\n');
  if (!text.startsWith('ply') || end < 0) throw new Error('not a PLY file');
  return { header: text.slice(0, end), bodyOffset: end + 'end_header\n'.length };
}

/** The first element must be the vertices; its properties' offsets within a record. */
function vertexElement(lines) {
  const props = new Map();
  let count = -1;
  let stride = 0;
  for (const line of lines) {
    const words = line.split(/\s+/);
    if (words[0] === 'element') {
      if (count >= 0) break;
      if (words[1] !== 'vertex') throw new Error(`unexpected first element ${words[1]}`);
      count = parseInt(words[2], 10);
    } else if (words[0] === 'property' && count >= 0) {
      if (!SIZES[words[1]]) throw new Error(`unsupported property ${line}`);
      props.set(words[2], { offset: stride, read: READERS[words[1]] });
      stride += SIZES[words[1]];
    }
  }
  for (const name of ['x', 'y', 'z']) if (!props.has(name)) throw new Error(`PLY without ${name}`);
  return { count, props, stride };
}
