// A tokenizer just good enough to find where top-level statements of TypeScript or JavaScript start
// and end: it knows strings, template literals, comments, regular expressions and brackets, and
// nothing of the grammar beyond that. Deno's parser has the last word (see find-last-expression.ts).

export type TokenKind = 'word' | 'number' | 'string' | 'template' | 'regex' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** A line break (or a comment holding one) separates it from the token before. */
  newlineBefore: boolean;
  /** Bracket depth before the token: 0 is the top level of the code. */
  depth: number;
}

// Longest first, so that `===` is not read as `==` then `=`.
const PUNCTUATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '**', '<<', '>>',
]; // prettier-ignore
/** After these words an expression starts, so a `/` begins a regular expression. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await',
]); // prettier-ignore
const WORD_START = /[A-Za-z_$#\u0080-\uffff]/;
const WORD_PART = /[\w$\u0080-\uffff]/;

/** Tokens of `code`; undefined when brackets do not balance or a literal never ends. */
export function scanTokens(code: string): Token[] | undefined {
  const tokens: Token[] = [];
  // `(`, `[`, `{`, or `${` of a template (whose `}` resumes the template).
  const stack: string[] = [];
  let index = 0;
  let newlineBefore = false;
  const push = (kind: TokenKind, start: number, depth = stack.length) => {
    tokens.push({ kind, text: code.slice(start, index), start, end: index, newlineBefore, depth });
    newlineBefore = false;
  };
  /** Scans template text from `index` (just past a backtick or a `}`) to its end or its next `${`. */
  const scanTemplate = (start: number, depth: number): boolean => {
    while (index < code.length) {
      const char = code[index]!;
      if (char === '\\') index += 2;
      else if (char === '`') {
        index += 1;
        push('template', start, depth);
        return true;
      } else if (char === '$' && code[index + 1] === '{') {
        index += 2;
        push('template', start, depth);
        stack.push('${');
        return true;
      } else index += 1;
    }
    return false;
  };
  while (index < code.length) {
    const char = code[index]!;
    const next = code[index + 1];
    const start = index;
    if (char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029') {
      newlineBefore = true;
      index += 1;
    } else if (/\s/.test(char)) index += 1;
    else if (char === '/' && next === '/') {
      while (index < code.length && code[index] !== '\n') index += 1;
    } else if (char === '/' && next === '*') {
      const close = code.indexOf('*/', index + 2);
      if (close === -1) return undefined;
      if (/[\n\r\u2028\u2029]/.test(code.slice(index, close))) newlineBefore = true;
      index = close + 2;
    } else if (char === '"' || char === "'") {
      index += 1;
      while (index < code.length && code[index] !== char && code[index] !== '\n')
        index += code[index] === '\\' ? 2 : 1;
      if (code[index] !== char) return undefined;
      index += 1;
      push('string', start);
    } else if (char === '`') {
      index += 1;
      if (!scanTemplate(start, stack.length)) return undefined;
    } else if (char === '/' && isRegexAllowed(tokens.at(-1))) {
      if (!scanRegex()) return undefined;
      push('regex', start);
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next ?? ''))) {
      while (index < code.length && /[\w.]/.test(code[index]!)) {
        index += 1;
        if (
          /[eE]/.test(code[index - 1]!) &&
          /[+-]/.test(code[index] ?? '') &&
          !/^0[xX]/.test(code.slice(start))
        )
          index += 1;
      }
      push('number', start);
    } else if (WORD_START.test(char)) {
      index += 1;
      while (index < code.length && WORD_PART.test(code[index]!)) index += 1;
      push('word', start);
    } else if (char === '(' || char === '[' || char === '{') {
      index += 1;
      push('punct', start);
      stack.push(char);
    } else if (char === ')' || char === ']' || char === '}') {
      const open = stack.pop();
      if (open === '${' && char === '}') {
        index += 1;
        if (!scanTemplate(start, stack.length)) return undefined;
        continue;
      }
      if (open !== { ')': '(', ']': '[', '}': '{' }[char]) return undefined;
      index += 1;
      push('punct', start);
    } else {
      const punctuator = PUNCTUATORS.find((candidate) => code.startsWith(candidate, index)) ?? char;
      index += punctuator.length;
      push('punct', start);
    }
  }
  return stack.length === 0 ? tokens : undefined;

  function scanRegex(): boolean {
    let inClass = false;
    index += 1;
    while (index < code.length) {
      const char = code[index]!;
      if (char === '\n') return false;
      if (char === '\\') index += 1;
      else if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if (char === '/' && !inClass) {
        index += 1;
        while (index < code.length && /[a-z]/i.test(code[index]!)) index += 1;
        return true;
      }
      index += 1;
    }
    return false;
  }
}

/** A `/` starts a regular expression unless it follows something that ends an operand. */
function isRegexAllowed(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'word') return KEYWORDS_BEFORE_EXPRESSION.has(previous.text);
  if (previous.kind === 'punct') return !(previous.text === ')' || previous.text === ']');
  if (previous.kind === 'template') return previous.text.endsWith('${');
  return false;
}
