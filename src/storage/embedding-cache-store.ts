// The embedding cache: vectors by model and text hash, so a restart embeds only texts it has not
// seen. Writes go in batches of one statement each (1,000 vectors of 512 floats ≈ 2.7 MiB of base64).
import type { Database } from './database.js';
import { STORAGE_TABLES } from './operations.js';
import type { EmbeddingCacheStore } from './types.js';
import { toFloat32Array, toVectorBase64 } from './vector-bytes.js';

const EMBEDDINGS = STORAGE_TABLES.embeddings;
// Rows per INSERT: large enough that a whole tool catalog goes in one statement, small enough that
// one statement's parameters stay a few MiB.
const PUT_BATCH_ROWS = 1_000;

export function createEmbeddingCacheStore(database: Database): EmbeddingCacheStore {
  return {
    get: async (model, textHashes, options) => {
      if (textHashes.length === 0) return new Map();
      return database.run('embeddings.get', options, async (sql) => {
        const rows = await sql.query<{ text_hash: string; vector: string }>(
          `SELECT text_hash, encode(vector, 'base64') AS vector FROM ${EMBEDDINGS}
           WHERE model = $1 AND text_hash = ANY($2::text[])`,
          [model, [...new Set(textHashes)]],
        );
        return new Map(rows.map((row) => [row.text_hash, toFloat32Array(row.vector)]));
      });
    },
    put: async (model, entries, options) => {
      if (entries.length === 0) return;
      // The last entry for a hash wins, as it would with one statement per entry (and ON CONFLICT
      // refuses to touch the same row twice in one statement).
      const unique = [...new Map(entries.map((entry) => [entry.textHash, entry])).values()];
      await database.runInTransaction('embeddings.put', options, async (sql) => {
        for (let start = 0; start < unique.length; start += PUT_BATCH_ROWS) {
          const batch = unique.slice(start, start + PUT_BATCH_ROWS);
          const rows = batch.map((entry) => ({
            text_hash: entry.textHash,
            vector: toVectorBase64(entry.vector),
          }));
          await sql.query(
            `INSERT INTO ${EMBEDDINGS} (model, text_hash, vector)
             SELECT $1, t.text_hash, decode(t.vector, 'base64')
             FROM json_to_recordset($2::json) AS t(text_hash text, vector text)
             ON CONFLICT (model, text_hash) DO UPDATE SET vector = excluded.vector, created_at = now()`,
            [model, JSON.stringify(rows)],
          );
        }
      });
    },
    count: (model, options) =>
      database.run('embeddings.count', options, async (sql) => {
        const [row] = model
          ? await sql.query<{ count: number }>(
              `SELECT count(*)::int AS count FROM ${EMBEDDINGS} WHERE model = $1`,
              [model],
            )
          : await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${EMBEDDINGS}`);
        return row?.count ?? 0;
      }),
  };
}
