import { describe, expect, it } from 'vitest';
import { findUserLocation, showLocation, toSyntaxProblem } from './describe-failure.js';

const URL = 'data:application/typescript;base64,ZXhwb3J0IGRlZmF1bHQ=';

describe('toSyntaxProblem', () => {
  it('reads the parser message and moves its position into the code', () => {
    const message = `SyntaxError: Expression expected\n  |\n3 | const a = ;\n  |           ~\n    at ${URL}:3:11`;
    expect(toSyntaxProblem(message, 'x\nconst a = ;')).toEqual({
      text: 'Expression expected',
      location: { line: 2, column: 11 },
    });
  });

  it('reads V8 early errors, which put the position on the same line', () => {
    const message = `Identifier 'a' has already been declared at ${URL}:2:20`;
    expect(toSyntaxProblem(message, 'const a = 1; const a = 2;')).toEqual({
      text: "Identifier 'a' has already been declared",
      location: { line: 1, column: 20 },
    });
  });

  it('has no position when the parser stopped past the code (on the wrapper)', () => {
    expect(
      toSyntaxProblem(`SyntaxError: Expression expected\n    at ${URL}:3:1`, 'foo(').location,
    ).toBeUndefined();
  });
});

describe('findUserLocation', () => {
  it('finds the first frame in the code, skipping the sandbox frames', () => {
    const stack = [
      'Error: boom',
      '    at data:application/typescript;base64,AAAA......ZZZZ:4:9',
      '    at Module.default (data:application/typescript;base64,AAAA......ZZZZ:9:1)',
      '    at run (data:application/javascript;base64,BBBB......YYYY:1:2)',
    ].join('\n');
    expect(findUserLocation(stack, 'a\nb\nc\nd')).toEqual({ line: 3, column: 9 });
  });
});

describe('showLocation', () => {
  it('points at the column under the line', () => {
    expect(showLocation('ok\nconst a = ;', { line: 2, column: 11 })).toBe('  const a = ;\n            ^');
  });
});
