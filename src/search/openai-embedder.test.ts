// The OpenAI-compatible embedder against a real HTTP server on 127.0.0.1 that speaks /v1/embeddings
// the way Ollama and OpenAI do (and misbehaves on request).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorSearchError } from '../errors/index.js';
import { createOpenAiEmbedder } from './openai-embedder.js';
import { dot } from './vector-store.js';

interface SeenRequest {
  url: string;
  authorization: string | undefined;
  body: { model: string; input: string[] };
}

type Behaviour = (request: SeenRequest, response: ServerResponse) => void;

const seen: SeenRequest[] = [];
let behaviour: Behaviour;
let baseUrl: string;
const held: ServerResponse[] = [];

/** Answers like a real server: one vector per input, in reverse order with their indexes, not normalised. */
const answerProperly: Behaviour = (request, response) => {
  const data = request.body.input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: [text.length, 1, 0],
  }));
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ object: 'list', data: data.reverse(), model: request.body.model }));
};

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let text = '';
  request.on('data', (chunk: Buffer) => (text += chunk.toString()));
  request.on('end', () => {
    const entry = {
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(text) as SeenRequest['body'],
    };
    seen.push(entry);
    behaviour(entry, response);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of held) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function reset(next: Behaviour) {
  seen.length = 0;
  behaviour = next;
}

describe('createOpenAiEmbedder', () => {
  it('posts the texts to /v1/embeddings with the model and key, and returns unit vectors in input order', async () => {
    reset(answerProperly);
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'nomic-embed-text', apiKey: 'sk-test' });
    const vectors = await embedder.embed(['a', 'abcd']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      url: '/v1/embeddings',
      authorization: 'Bearer sk-test',
      body: { model: 'nomic-embed-text', input: ['a', 'abcd'] },
    });
    expect(vectors.map((vector) => dot(vector, vector))).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(1, 5),
    ]);
    expect(vectors[1]![0]).toBeGreaterThan(vectors[0]![0]!); // "abcd" is the longer text
    expect(embedder.model).toBe(`openai:nomic-embed-text@${new URL(baseUrl).host}`);
  });

  it('sends no authorization header without a key, and accepts a base URL that already ends in /v1', async () => {
    reset(answerProperly);
    await createOpenAiEmbedder({ baseUrl: `${baseUrl}/v1/`, model: 'm' }).embed(['x']);
    expect(seen[0]).toMatchObject({ url: '/v1/embeddings', authorization: undefined });
  });

  it('splits many texts into batches', async () => {
    reset(answerProperly);
    const vectors = await createOpenAiEmbedder({ baseUrl, model: 'm', batchSize: 2 }).embed([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(vectors).toHaveLength(5);
    expect(seen.map((request) => request.body.input)).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('says which status the server answered, with its words, and hints at the API key on 401', async () => {
    reset((_, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"Incorrect API key provided"}}');
    });
    const failure = createOpenAiEmbedder({ baseUrl, model: 'm', apiKey: 'bad' }).embed(['x']);
    await expect(failure).rejects.toThrow(VectorSearchError);
    await expect(failure).rejects.toThrow(/HTTP 401 \(check the API key\).*Incorrect API key provided/);
  });

  it('hints at the model name and the URL on 404', async () => {
    reset((_, response) => {
      response.writeHead(404);
      response.end('model "nope" not found, try pulling it first');
    });
    await expect(createOpenAiEmbedder({ baseUrl, model: 'nope' }).embed(['x'])).rejects.toThrow(
      /HTTP 404 \(is "nope" served there, and is the URL right\?\): model "nope" not found/,
    );
  });

  it('refuses an answer that is not JSON, or has the wrong number of vectors, or vectors of mixed sizes', async () => {
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'm' });
    reset((_, response) => response.end('<html>proxy error</html>'));
    await expect(embedder.embed(['x'])).rejects.toThrow('the answer is not JSON: <html>proxy error</html>');
    reset((_, response) => response.end(JSON.stringify({ data: [{ index: 0, embedding: [1] }] })));
    await expect(embedder.embed(['x', 'y'])).rejects.toThrow('expected 2 embeddings in "data", got 1');
    reset((_, response) =>
      response.end(
        JSON.stringify({
          data: [
            { index: 0, embedding: [1, 2] },
            { index: 1, embedding: [1] },
          ],
        }),
      ),
    );
    await expect(embedder.embed(['x', 'y'])).rejects.toThrow('embeddings of different lengths');
    reset((_, response) => response.end(JSON.stringify({ data: [{ index: 0, embedding: ['a'] }] })));
    await expect(embedder.embed(['x'])).rejects.toThrow('an embedding is not a list of numbers');
  });

  it('gives up on a server that never answers, after its timeout', async () => {
    reset((_, response) => void held.push(response));
    await expect(createOpenAiEmbedder({ baseUrl, model: 'm', timeoutMs: 50 }).embed(['x'])).rejects.toThrow(
      'no answer within 50 ms',
    );
  });

  it('says it cannot reach a server that is not there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      createOpenAiEmbedder({ baseUrl: `http://127.0.0.1:${port}`, model: 'm' }).embed(['x']),
    ).rejects.toThrow(/cannot reach the server: .*ECONNREFUSED/);
  });

  it('stops when the caller cancels', async () => {
    reset((_, response) => void held.push(response));
    const abort = new AbortController();
    const pending = createOpenAiEmbedder({ baseUrl, model: 'm' }).embed(['x'], { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toThrow('cancelled');
  });
});
