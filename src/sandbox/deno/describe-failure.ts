// Turns what Deno says about the user's module into the user's terms: positions in the code as
// written (the wrapper adds a line above it), no data: URLs, no frames of the sandbox's own scripts.
import { WRAPPER_LINES_ABOVE } from './build-module-source.js';

export interface CodeLocation {
  line: number;
  column: number;
}

export interface SyntaxProblem {
  text: string;
  /** Undefined when the parser stopped past the end of the code (an unclosed bracket or string). */
  location: CodeLocation | undefined;
}

// Stack traces shorten data: URLs ("base64,AAAA......ZZZZ"); messages carry them whole.
const MODULE_POSITION = /data:application\/typescript[^\s)]*:(\d+):(\d+)/;
const MODULE_POSITIONS = new RegExp(MODULE_POSITION.source, 'g');

export function toSyntaxProblem(message: string, code: string): SyntaxProblem {
  const firstLine = (message.split('\n')[0] ?? '').replace(/^SyntaxError:\s*/, '');
  const text = firstLine.replace(/\s+at data:\S*$/, '').trim() || 'invalid syntax';
  const match = MODULE_POSITION.exec(message);
  const location = match ? toCodeLocation(Number(match[1]), Number(match[2]), code) : undefined;
  return { text, location };
}

/** The code line with a caret under the column, to show where the parser stopped. */
export function showLocation(code: string, location: CodeLocation): string {
  const line = code.split('\n')[location.line - 1] ?? '';
  const shown = line.length > 160 ? line.slice(0, 160) : line;
  return `  ${shown}\n  ${' '.repeat(Math.max(0, location.column - 1))}^`;
}

/** The first position of the user's code in a stack trace. */
export function findUserLocation(stack: string | undefined, code: string): CodeLocation | undefined {
  for (const match of (stack ?? '').matchAll(MODULE_POSITIONS)) {
    const location = toCodeLocation(Number(match[1]), Number(match[2]), code);
    if (location) return location;
  }
  return undefined;
}

function toCodeLocation(moduleLine: number, column: number, code: string): CodeLocation | undefined {
  const line = moduleLine - WRAPPER_LINES_ABOVE;
  const lineCount = code.split('\n').length;
  if (line < 1 || line > lineCount) return undefined;
  return { line, column };
}

export function formatLocation(location: CodeLocation | undefined): string {
  return location ? ` (line ${location.line}, column ${location.column})` : '';
}
