import { describe, expect, it } from 'vitest';
import { LineSplitter, findRequestIdInHead, parseJsonRpcLine } from './json-rpc-lines.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(
      100,
      (line) => lines.push(line),
      () => {},
    );
    splitter.push(Buffer.from('{"a":'));
    splitter.push(Buffer.from('1}\n{"b":2}\r\n{"c"'));
    splitter.push(Buffer.from(':3}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('drops a line over the limit, reports its size and head, and reads the next one', () => {
    const lines: string[] = [];
    const dropped: { head: string; bytes: number }[] = [];
    const splitter = new LineSplitter(
      10,
      (line) => lines.push(line),
      (line) => dropped.push(line),
    );
    splitter.push(Buffer.from('{"id":7,"x":"'));
    splitter.push(Buffer.from('aaaaaaaaaaaaaaaa"}\nok\n'));
    expect(dropped).toEqual([{ head: '{"id":7,"x":"', bytes: 31 }]);
    expect(lines).toEqual(['ok']);
  });
});

describe('parseJsonRpcLine', () => {
  it('accepts requests, notifications and responses', () => {
    expect(parseJsonRpcLine('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toHaveProperty('message');
    expect(parseJsonRpcLine('{"jsonrpc":"2.0","method":"notifications/initialized"}')).toHaveProperty(
      'message',
    );
    expect(parseJsonRpcLine('{"jsonrpc":"2.0","id":"a","result":{}}')).toHaveProperty('message');
  });

  it('reports a parse error with a null id and an invalid request with its id', () => {
    expect(parseJsonRpcLine('{nope')).toMatchObject({ problem: { code: -32700, id: null } });
    expect(parseJsonRpcLine('{"jsonrpc":"2.0","id":3,"method":5}')).toMatchObject({
      problem: { code: -32600, id: 3 },
    });
    expect(parseJsonRpcLine('[1,2]')).toMatchObject({ problem: { code: -32600, id: null } });
  });

  it('finds the id at the start of an oversized message', () => {
    expect(findRequestIdInHead('{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"x":"aaa')).toBe(42);
    expect(findRequestIdInHead('{"id": "req-\\"1", "jsonrpc":"2.0"')).toBe('req-"1');
    expect(findRequestIdInHead('{"method":"x","params":{"aaaa')).toBeNull();
  });
});
