// server-everything over HTTP+SSE, straight and through pml: the same comparisons as over stdio.
import { describeEverythingOverHttp } from './everything-over-http.js';

describeEverythingOverHttp('server-everything over HTTP+SSE', 'sse');
