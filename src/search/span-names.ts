// Span ops and attribute names tool search sends to telemetry (the catalog of the rest is
// telemetry/attribute-names.ts; these could move there).
export const VECTOR_SEARCH_OP = 'vector.search';
export const EMBEDDING_COMPUTE_OP = 'embedding.compute';
export const ATTR_QUERY_LENGTH = 'pml.query.length';
export const ATTR_SEARCH_LIMIT = 'pml.search.limit';
export const ATTR_SEARCH_MODE = 'pml.search.mode';
export const ATTR_EMBEDDING_MODEL = 'pml.embedding.model';
export const BREADCRUMB_SEARCH = 'search';
export const BREADCRUMB_EMBEDDING_CACHE = 'embedding.cache';
