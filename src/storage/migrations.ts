// pml's schema, as an ordered list of migrations. Never edit a released one: add the next version.
// Tables carry a `pml_` prefix because a shared PostgreSQL database may hold other applications'.
// Vectors are `bytea` of little-endian float32 so the same schema works without pgvector.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE pml_tools (
        server_id text NOT NULL,
        name text NOT NULL,
        description text,
        -- json, not jsonb: keeps the schema's text (key order) as the server sent it.
        input_schema json NOT NULL,
        content_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (server_id, name)
      );
      CREATE TABLE pml_embeddings (
        model text NOT NULL,
        text_hash text NOT NULL,
        vector bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model, text_hash)
      );
      CREATE TABLE pml_search_signals (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        query text NOT NULL,
        query_vector bytea,
        model text,
        tool text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX pml_search_signals_recorded_at ON pml_search_signals (recorded_at DESC, id DESC);
      CREATE TABLE pml_workflow_runs (
        id text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        duration_ms double precision NOT NULL,
        status text NOT NULL,
        tasks json NOT NULL
      );
      CREATE INDEX pml_workflow_runs_started_at ON pml_workflow_runs (started_at DESC);
    `,
  },
];
