// Wraps the user's code in a TypeScript module whose default export runs it: the body of an async
// function (so top-level `await` and `return` work), with `tools` and the context variables as
// consts. The wrapper takes one line above the code, so a position in the module is the same
// column one line lower in the code. When the code ends with an expression, a second candidate
// returns it; the worker imports the candidates in order and keeps the first that parses.
import { findLastExpression } from './find-last-expression.js';

/** Lines the wrapper adds above the user's code: module line N is code line N - 1. */
export const WRAPPER_LINES_ABOVE = 1;
/** The one parameter of the wrapper; an unusual name, since the code's own names live beside it. */
const SCOPE_PARAMETER = '__pmlScope';

export interface ModuleSources {
  /** Candidates to try in order; the last one is the code as written. */
  sources: string[];
}

export function buildModuleSources(code: string, contextNames: readonly string[]): ModuleSources {
  const bindings = ['tools', ...contextNames].join(', ');
  // The code runs in an inner function, so that its own `var tools` cannot clash with the consts.
  const head = `export default function (${SCOPE_PARAMETER}) { const { ${bindings} } = ${SCOPE_PARAMETER}; return (async function () {`;
  const tail = '\n})(); }\n';
  const asWritten = `${head}\n${code}${tail}`;
  const last = findLastExpression(code);
  if (!last) return { sources: [asWritten] };
  // `return (` goes after the code before the expression (on the wrapper's line when there is
  // none), so that the expression keeps its line and column.
  const returning =
    last.headEnd === 0
      ? `${head} return (\n${code.slice(0, last.end)}\n)${code.slice(last.end)}${tail}`
      : `${head}\n${code.slice(0, last.headEnd)};return (${code.slice(last.headEnd, last.end)}\n)${code.slice(last.end)}${tail}`;
  return { sources: [returning, asWritten] };
}

export function toTypeScriptDataUrl(source: string): string {
  return `data:application/typescript;base64,${Buffer.from(source, 'utf8').toString('base64')}`;
}
