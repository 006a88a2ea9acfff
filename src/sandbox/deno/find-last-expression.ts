// Finds the code's last top-level statement when it is an expression, so that `x.length` on the last
// line becomes the run's value. Boundaries are found conservatively: a line break ends a statement
// only where JavaScript's automatic semicolon insertion surely does, so a doubt means "no value",
// never a wrong split. The rewrite is then checked by Deno's parser (build-module-source.ts).
import { scanTokens, type Token } from './scan-tokens.js';

export interface LastExpression {
  /** Where the code before the expression ends (after its last token). */
  headEnd: number;
  start: number;
  /** After the expression's last token, before its `;` if any. */
  end: number;
}

/** A token before a line break that leaves its statement unfinished (`=`, `else`, `const`, ...). */
const WORDS_NEEDING_MORE = new Set([
  'const', 'let', 'var', 'else', 'do', 'try', 'finally', 'new', 'typeof', 'void', 'delete', 'await',
  'in', 'of', 'instanceof', 'extends', 'case', 'function', 'class', 'async', 'as', 'satisfies',
  'interface', 'type', 'enum', 'namespace', 'declare', 'abstract', 'import', 'export', 'yield',
]); // prettier-ignore
/** A token after a line break that continues the statement before it. */
const WORDS_CONTINUING = new Set([
  'in', 'instanceof', 'as', 'satisfies', 'else', 'catch', 'finally', 'while', 'extends', 'implements', 'of',
]); // prettier-ignore
/** Operators that may start a new statement after a line break; every other punctuator continues one. */
const PUNCT_STARTING = new Set(['!', '~', '++', '--', ';']);
/** `(` after these opens a statement's head: `if (x)` followed by a line break is not finished. */
const CONTROL_WORDS = new Set(['if', 'for', 'while', 'with', 'catch', 'switch']);
/** A `{` after these opens a block: `else {`, `try {`, `catch {`. */
const BLOCK_WORDS = new Set(['else', 'try', 'finally', 'do', 'catch']);
/** First words of statements that are not expressions. */
const STATEMENT_WORDS = new Set([
  'var', 'let', 'const', 'function', 'class', 'if', 'for', 'while', 'do', 'switch', 'try', 'return',
  'throw', 'break', 'continue', 'import', 'export', 'debugger', 'with',
]); // prettier-ignore
/** TypeScript declarations when a name follows (`type Row = ...`); alone they may be variables. */
const DECLARATION_WORDS = new Set([
  'interface',
  'type',
  'enum',
  'namespace',
  'module',
  'declare',
  'abstract',
]);

export function findLastExpression(code: string): LastExpression | undefined {
  const tokens = scanTokens(code);
  if (!tokens) return undefined;
  const topLevel = tokens.filter((token) => token.depth === 0);
  const statementStarts = findStatementStarts(topLevel, tokens);
  const firstIndex = statementStarts.at(-1);
  if (firstIndex === undefined) return undefined;
  let statement = topLevel.slice(firstIndex);
  if (statement.at(-1)?.text === ';') statement = statement.slice(0, -1);
  const first = statement[0];
  const last = statement.at(-1);
  if (!first || !last || !isExpressionStart(statement)) return undefined;
  const before = topLevel[firstIndex - 1];
  return { headEnd: before ? before.end : 0, start: first.start, end: last.end };
}

/** Indexes (into `topLevel`) where a statement starts; the last non-empty one comes last. */
function findStatementStarts(topLevel: Token[], tokens: Token[]): number[] {
  const starts: number[] = [];
  const controlHeadEnds = findControlHeadEnds(tokens);
  let statementStart = 0;
  for (let index = 0; index < topLevel.length; index += 1) {
    const token = topLevel[index]!;
    const previous = topLevel[index - 1];
    if (!previous) {
      if (token.text !== ';') starts.push(index);
      continue;
    }
    if (token.text === ';' && previous.text === ';') continue;
    // After a block that is a statement's body (`if (x) { }`, `try { }`, `function f() { }`), a new
    // statement starts, on the same line or not, unless `else`, `catch` and the like continue it.
    const afterStatementBlock =
      previous.text === '}' && isStatementBlock(topLevel, index - 3, statementStart, controlHeadEnds);
    const asiBreak =
      token.newlineBefore &&
      !needsMore(previous, controlHeadEnds) &&
      !continues(token) &&
      !isInsideTemplate(previous);
    if (previous.text === ';' || asiBreak || (afterStatementBlock && !WORDS_CONTINUING.has(token.text))) {
      starts.push(index);
      statementStart = index;
    }
  }
  return starts.filter((start) => topLevel[start]!.text !== ';');
}

/**
 * Whether the `{` after `topLevel[beforeIndex]` opens a block statement or a statement's body,
 * rather than an object literal or an arrow function's body.
 */
function isStatementBlock(
  topLevel: Token[],
  beforeIndex: number,
  statementStart: number,
  controlHeadEnds: Set<number>,
): boolean {
  const before = topLevel[beforeIndex];
  if (beforeIndex < statementStart || !before) return true; // a block at the start of a statement
  if (before.text === ')' && controlHeadEnds.has(before.end)) return true;
  if (before.kind === 'word' && BLOCK_WORDS.has(before.text)) return true;
  const first = topLevel[statementStart];
  const second = topLevel[statementStart + 1];
  const declares =
    first?.text === 'function' ||
    first?.text === 'class' ||
    (first?.text === 'async' && second?.text === 'function');
  // The first top-level `{` of a declaration is its body.
  const earlierBrace = topLevel.slice(statementStart, beforeIndex + 1).some((token) => token.text === '{');
  return declares && !earlierBrace;
}

/** End offsets of the `)` closing `if (...)`, `for (...)`, `while (...)` and the like. */
function findControlHeadEnds(tokens: Token[]): Set<number> {
  const ends = new Set<number>();
  const open: (boolean | undefined)[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token.text === '(') {
      const before = tokens[index - 1];
      const beforeThat = tokens[index - 2];
      const isControl =
        (before?.kind === 'word' && CONTROL_WORDS.has(before.text)) ||
        (before?.text === 'await' && beforeThat?.text === 'for');
      open.push(isControl);
    } else if (token.text === ')' && open.pop() === true) ends.add(token.end);
  }
  return ends;
}

function needsMore(token: Token, controlHeadEnds: Set<number>): boolean {
  if (token.kind === 'word') return WORDS_NEEDING_MORE.has(token.text);
  if (token.kind !== 'punct') return false;
  if (token.text === ')') return controlHeadEnds.has(token.end);
  return !(token.text === ']' || token.text === '}' || token.text === '++' || token.text === '--');
}

function continues(token: Token): boolean {
  if (token.kind === 'word') return WORDS_CONTINUING.has(token.text);
  if (token.kind === 'template') return true; // a tagged template
  // A regex at the start of a line after an operand would be a division: stay conservative.
  if (token.kind === 'regex') return true;
  return token.kind === 'punct' && !PUNCT_STARTING.has(token.text);
}

/** A template piece that opens `${`: the top level resumes only after its closing piece. */
function isInsideTemplate(token: Token): boolean {
  return token.kind === 'template' && token.text.endsWith('${');
}

function isExpressionStart(statement: Token[]): boolean {
  const [first, second] = statement;
  if (!first) return false;
  if (first.kind !== 'word') return first.text !== ';';
  if (STATEMENT_WORDS.has(first.text)) return false;
  if (first.text === 'async' && second?.text === 'function') return false;
  if (DECLARATION_WORDS.has(first.text) && second?.kind === 'word') return false;
  // `label: statement`
  return second?.text !== ':';
}
