// The egress room: egress records per topic with their offsets (table `egress`) and the durable
// read cursor of each topic (table `egress_cursor`).
import type Database from "better-sqlite3";
import type { EgressRecord, StoredEgressRecord, TopicSummary } from "./store-types.js";

interface EgressRow {
  topic: string;
  offset: number;
  kind: "kafka" | "kinesis" | "generic";
  egress_id: string;
  key: string | null;
  value: Buffer;
  typename: string;
  timestamp: number;
}

function toEgress(row: EgressRow): StoredEgressRecord {
  return {
    topic: row.topic,
    offset: row.offset,
    kind: row.kind,
    egressId: row.egress_id,
    key: row.key,
    value: new Uint8Array(row.value),
    typename: row.typename,
    timestamp: row.timestamp,
  };
}

/** Egress topics; callers wrap writes in the store's transactions. */
export class EgressRoom {
  private readonly nextOffset: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly cursor: Database.Statement;
  private readonly from: Database.Statement;
  private readonly advance: Database.Statement;
  private readonly everything: Database.Statement;
  private readonly summary: Database.Statement;
  /** The next offset per topic, cached after the first append (reset after a rollback). */
  private readonly offsets = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.nextOffset = db.prepare(
      'SELECT COALESCE(MAX("offset") + 1, 0) AS n FROM egress WHERE topic = ?',
    );
    this.insert = db.prepare(
      `INSERT INTO egress (topic, "offset", kind, egress_id, key, value, typename, timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.cursor = db.prepare("SELECT next_offset FROM egress_cursor WHERE topic = ?");
    this.from = db.prepare(
      'SELECT * FROM egress WHERE topic = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
    );
    this.advance = db.prepare(
      `INSERT INTO egress_cursor (topic, next_offset) VALUES (?, ?)
       ON CONFLICT (topic) DO UPDATE SET next_offset = excluded.next_offset`,
    );
    this.everything = db.prepare("SELECT * FROM egress ORDER BY seq");
    this.summary = db.prepare(
      `SELECT e.topic AS topic, MIN(e.kind) AS kind, COUNT(*) AS records,
         SUM(CASE WHEN e."offset" >= COALESCE(c.next_offset, 0) THEN 1 ELSE 0 END) AS unread
       FROM egress e LEFT JOIN egress_cursor c ON c.topic = e.topic
       GROUP BY e.topic ORDER BY e.topic`,
    );
  }

  /** Forgets cached offsets (after a rolled-back transaction). */
  forgetOffsets(): void {
    this.offsets.clear();
  }

  /** Appends a record at the end of its topic. */
  append(record: EgressRecord, now: number): StoredEgressRecord {
    const offset =
      this.offsets.get(record.topic) ?? (this.nextOffset.get(record.topic) as { n: number }).n;
    this.insert.run(
      record.topic,
      offset,
      record.kind,
      record.egressId,
      record.key,
      Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
      record.typename,
      now,
    );
    this.offsets.set(record.topic, offset + 1);
    return { ...record, offset, timestamp: now };
  }

  /** Reads the next unread record of a topic and advances its cursor (consume once). */
  consumeNext(topic: string): StoredEgressRecord | undefined {
    return this.db
      .transaction(() => {
        const cursor = this.cursor.get(topic) as { next_offset: number } | undefined;
        const row = this.from.get(topic, cursor?.next_offset ?? 0, 1) as EgressRow | undefined;
        if (!row) return undefined;
        this.advance.run(topic, row.offset + 1);
        return toEgress(row);
      })
      .immediate();
  }

  /** Records of a topic from an offset, without consuming them (`limit` < 0: all). */
  list(topic: string, from: number, limit: number): StoredEgressRecord[] {
    return (this.from.all(topic, from, limit) as EgressRow[]).map(toEgress);
  }

  /** Every record of every topic, in the order they were written. */
  all(): StoredEgressRecord[] {
    return (this.everything.all() as EgressRow[]).map(toEgress);
  }

  /** Every topic with its record count and the number of records not consumed yet. */
  topics(): TopicSummary[] {
    return this.summary.all() as TopicSummary[];
  }
}
