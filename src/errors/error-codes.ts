// Every stable code a PmlError can carry. The gateway's error mapping is a table keyed by these, so a
// new code that nobody maps is a type error, not a silent -32603.
export const PML_ERROR_CODES = [
  'CONFIG_INVALID',
  'INVALID_PARAMS',
  'TOOL_NOT_FOUND',
  'INVALID_ARGUMENTS',
  'TOOL_RESULT_ERROR',
  'MCP_SERVER_ERROR',
  'DOWNSTREAM_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'UNSUPPORTED_REQUEST',
  'DAG_EXECUTION_FAILED',
  'DATABASE_ERROR',
  'VECTOR_SEARCH_FAILED',
  'SANDBOX_EXECUTION_FAILED',
] as const;

export type PmlErrorCode = (typeof PML_ERROR_CODES)[number];
