// Search signals: a search followed by a call of one of its hits, kept so ranking can learn which
// tool a wording leads to. The query vector is optional (a lexical-only search has none).
import type { Database } from './database.js';
import { STORAGE_TABLES } from './operations.js';
import { toLimit } from './to-limit.js';
import type { RecordedSearchSignal, SearchSignalStore } from './types.js';
import { toFloat32Array, toVectorBase64 } from './vector-bytes.js';

const SIGNALS = STORAGE_TABLES.signals;
const DEFAULT_LIST_LIMIT = 100;

interface SignalRow {
  [key: string]: unknown;
  query: string;
  query_vector: string | null;
  model: string | null;
  tool: string;
  recorded_at: Date;
}

export function createSearchSignalStore(database: Database): SearchSignalStore {
  return {
    record: (signal, options) =>
      database.run('signals.record', options, async (sql) => {
        await sql.query(
          `INSERT INTO ${SIGNALS} (query, query_vector, model, tool)
           VALUES ($1, decode($2, 'base64'), $3, $4)`,
          [
            signal.query,
            signal.queryVector ? toVectorBase64(signal.queryVector) : null,
            signal.model ?? null,
            signal.tool,
          ],
        );
      }),
    list: (options) =>
      database.run('signals.list', options, async (sql) => {
        const rows = await sql.query<SignalRow>(
          `SELECT query, encode(query_vector, 'base64') AS query_vector, model, tool, recorded_at FROM ${SIGNALS}
           ORDER BY recorded_at DESC, id DESC LIMIT $1`,
          [toLimit(options?.limit, DEFAULT_LIST_LIMIT)],
        );
        return rows.map(toRecordedSignal);
      }),
  };
}

function toRecordedSignal(row: SignalRow): RecordedSearchSignal {
  return {
    query: row.query,
    ...(row.query_vector !== null ? { queryVector: toFloat32Array(row.query_vector) } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    tool: row.tool,
    at: row.recorded_at,
  };
}
