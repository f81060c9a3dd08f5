// The binary form of a run of egress records stored as one row (table `egress_pack`): each
// record as kind, egress id, key, typename and value, length-prefixed, in write order.
import type { EgressRecord, StoredEgressRecord } from "./store-types.js";

const KINDS = ["kafka", "kinesis", "generic"] as const;
const NO_KEY = 0xffffffff;

/**
 * Encodes records into one buffer: per record a kind byte, then egress id, key (length
 * 0xffffffff when `null`), typename and value, each as a little-endian u32 length and its bytes.
 */
export function encodePack(records: readonly EgressRecord[]): Buffer {
  let size = 0;
  for (const r of records) {
    size += 17 + Buffer.byteLength(r.egressId) + Buffer.byteLength(r.typename);
    size += (r.key === null ? 0 : Buffer.byteLength(r.key)) + r.value.byteLength;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const text = (s: string) => {
    const n = out.write(s, at + 4);
    out.writeUInt32LE(n, at);
    at += 4 + n;
  };
  for (const r of records) {
    out[at++] = KINDS.indexOf(r.kind);
    text(r.egressId);
    if (r.key === null) {
      out.writeUInt32LE(NO_KEY, at);
      at += 4;
    } else text(r.key);
    text(r.typename);
    out.writeUInt32LE(r.value.byteLength, at);
    out.set(r.value, at + 4);
    at += 4 + r.value.byteLength;
  }
  return out;
}

/**
 * Decodes a buffer of {@link encodePack} into the stored records of `topic` from offset `first`,
 * written at `timestamp` (values copied out of it).
 */
export function decodePack(
  topic: string,
  pack: Buffer,
  first: number,
  timestamp: number,
): StoredEgressRecord[] {
  const records: StoredEgressRecord[] = [];
  let at = 0;
  const length = () => {
    if (at + 4 > pack.length) throw new Error(`egress pack of topic ${topic} is truncated`);
    const n = pack.readUInt32LE(at);
    at += 4;
    return n;
  };
  const bytes = (n: number) => {
    if (at + n > pack.length) throw new Error(`egress pack of topic ${topic} is truncated`);
    const view = pack.subarray(at, at + n);
    at += n;
    return view;
  };
  const text = () => bytes(length()).toString("utf8");
  while (at < pack.length) {
    const kind = KINDS[pack[at++] as number];
    if (kind === undefined) throw new Error(`egress pack of topic ${topic} has an unknown kind`);
    const egressId = text();
    const keyLength = length();
    const key = keyLength === NO_KEY ? null : bytes(keyLength).toString("utf8");
    const typename = text();
    const value = bytes(length());
    records.push({
      topic,
      kind,
      egressId,
      key,
      value: new Uint8Array(value),
      typename,
      offset: first + records.length,
      timestamp,
    });
  }
  return records;
}
