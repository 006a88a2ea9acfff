// server-everything over Streamable HTTP, straight and through pml: the same comparisons as over stdio.
import { describeEverythingOverHttp } from './everything-over-http.js';

describeEverythingOverHttp('server-everything over Streamable HTTP', 'streamableHttp');
