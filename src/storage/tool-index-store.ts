// The tool index: each downstream server's tools with their content hash, so a restart (or a
// tools/list_changed) rewrites only the tools that changed and search re-embeds only those.
import { toContentHash } from './content-hash.js';
import type { Database } from './database.js';
import { STORAGE_TABLES } from './operations.js';
import type { IndexedTool, ToolDefinition, ToolIndexStore, ToolSyncResult } from './types.js';

const TOOLS = STORAGE_TABLES.tools;

interface ToolRow {
  [key: string]: unknown;
  server_id: string;
  name: string;
  description: string | null;
  input_schema: Record<string, unknown>;
  content_hash: string;
  updated_at: Date;
}

export function createToolIndexStore(database: Database): ToolIndexStore {
  return {
    sync: (serverId, tools, options) =>
      database.runInTransaction('tools.sync', options, async (sql) => {
        // FOR UPDATE: two instances syncing the same server take turns instead of miscounting.
        const existing = await sql.query<{ name: string; content_hash: string }>(
          `SELECT name, content_hash FROM ${TOOLS} WHERE server_id = $1 FOR UPDATE`,
          [serverId],
        );
        const plan = planSync(new Map(existing.map((row) => [row.name, row.content_hash])), tools);
        if (plan.writes.length > 0) {
          // One statement for all added and changed tools, whatever their number.
          await sql.query(
            `INSERT INTO ${TOOLS} (server_id, name, description, input_schema, content_hash, updated_at)
             SELECT $1, t.name, t.description, t.input_schema::json, t.content_hash, now()
             FROM json_to_recordset($2::json) AS t(name text, description text, input_schema text, content_hash text)
             ON CONFLICT (server_id, name) DO UPDATE SET description = excluded.description,
               input_schema = excluded.input_schema, content_hash = excluded.content_hash,
               updated_at = excluded.updated_at`,
            [serverId, JSON.stringify(plan.writes)],
          );
        }
        if (plan.removed.length > 0) {
          await sql.query(`DELETE FROM ${TOOLS} WHERE server_id = $1 AND name = ANY($2::text[])`, [
            serverId,
            plan.removed,
          ]);
        }
        return plan.result;
      }),
    list: (options) =>
      database.run('tools.list', options, async (sql) => {
        const rows = await sql.query<ToolRow>(
          `SELECT server_id, name, description, input_schema, content_hash, updated_at FROM ${TOOLS}
           ORDER BY server_id, name`,
        );
        return rows.map(toIndexedTool);
      }),
    removeServer: (serverId, options) =>
      database.run('tools.removeServer', options, async (sql) => {
        await sql.query(`DELETE FROM ${TOOLS} WHERE server_id = $1`, [serverId]);
      }),
  };
}

interface ToolWrite {
  name: string;
  description: string | null;
  /** The schema's JSON text, stored as sent (a json column keeps it verbatim). */
  input_schema: string;
  content_hash: string;
}

interface SyncPlan {
  writes: ToolWrite[];
  removed: string[];
  result: ToolSyncResult;
}

/** What a sync must write, given the stored hashes by tool name. A name listed twice counts once (the last wins). */
export function planSync(stored: Map<string, string>, tools: ToolDefinition[]): SyncPlan {
  const incoming = new Map(tools.map((tool) => [tool.name, tool]));
  const writes: ToolWrite[] = [];
  const result: ToolSyncResult = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  for (const tool of incoming.values()) {
    const contentHash = toContentHash(tool);
    const storedHash = stored.get(tool.name);
    if (storedHash === contentHash) {
      result.unchanged++;
      continue;
    }
    if (storedHash === undefined) result.added++;
    else result.changed++;
    writes.push({
      name: tool.name,
      description: tool.description ?? null,
      input_schema: JSON.stringify(tool.inputSchema),
      content_hash: contentHash,
    });
  }
  const removed = [...stored.keys()].filter((name) => !incoming.has(name));
  result.removed = removed.length;
  return { writes, removed, result };
}

function toIndexedTool(row: ToolRow): IndexedTool {
  return {
    serverId: row.server_id,
    name: row.name,
    description: row.description ?? undefined,
    inputSchema: row.input_schema,
    contentHash: row.content_hash,
    updatedAt: row.updated_at,
  };
}
