// Renames the imports and exports of a wasm module (its import and export
// sections, rewritten; nothing else changes). The build gives them the short
// names the JavaScript glue uses, so the download carries no long names.

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, at];
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Buffer.from(out);
}

const name = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
};

// Where the description of an import of `kind` ends (function, table,
// memory, global, tag).
function importEnd(body, kind, at) {
  const limits = (p) => {
    const flags = body[p];
    if (flags > 1) throw new Error(`import limits with flags ${flags} are not supported`);
    p = readU32(body, p + 1)[1];
    return flags === 1 ? readU32(body, p)[1] : p;
  };
  switch (kind) {
    case 0: return readU32(body, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    case 4: return readU32(body, at + 1)[1];
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

/**
 * `bytes` with import names (of any module) and export names renamed by the
 * maps (old name to new); names not in a map stay.
 */
export function renameWasmNames(bytes, { imports = new Map(), exports = new Map() }) {
  const parts = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const sectionStart = at;
    const id = bytes[at];
    const [size, start] = readU32(bytes, at + 1);
    const body = bytes.subarray(start, start + size);
    at = start + size;
    if (id !== 2 && id !== 7) {
      parts.push(bytes.subarray(sectionStart, at));
      continue;
    }
    const [count, first] = readU32(body, 0);
    const entries = [u32(count)];
    let p = first;
    const text = () => {
      const [length, from] = readU32(body, p);
      p = from + length;
      return body.subarray(from, p).toString('utf8');
    };
    for (let i = 0; i < count; i++) {
      if (id === 2) {
        const module = text();
        const field = text();
        const from = p;
        p = importEnd(body, body[p], p + 1);
        entries.push(name(module), name(imports.get(field) ?? field), body.subarray(from, p));
      } else {
        const field = text();
        const from = p;
        p = readU32(body, p + 1)[1];
        entries.push(name(exports.get(field) ?? field), body.subarray(from, p));
      }
    }
    const section = Buffer.concat(entries);
    parts.push(Buffer.from([id]), u32(section.length), section);
  }
  return Buffer.concat(parts);
}
