// execute_code end to end in process: a real SDK client, the gateway, the real Deno runner and
// real SDK servers. Code calls tools through the ToolInvoker; writes ask the client by
// elicitation; the allow-list, the result cache and code mode's listing are checked here.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startInProcessGateway,
  createToolServer,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';

interface ExecuteCodeResult {
  value: unknown;
  logs: { level: string; text: string }[];
  tool_calls: { tool: string; status: string }[];
  cache_hit: boolean;
}

let harness: InProcessGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function start(options: { gateway?: Record<string, unknown>; sandbox?: Record<string, unknown> } = {}) {
  const calls: string[] = [];
  const started = startInProcessGateway({
    gateway: options.gateway,
    sections: { sandbox: { poolSize: 1, ...options.sandbox }, search: { embedder: 'none' } },
    servers: {
      people: () =>
        createToolServer({
          find: {
            annotations: { readOnlyHint: true },
            inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
            handle: (args) => {
              calls.push(`find ${String(args.name)}`);
              return textResult(JSON.stringify({ name: args.name, email: 'ada@example.com', age: 36 }));
            },
          },
          save: {
            inputSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
            handle: (args) => {
              calls.push(`save ${String(args.note)}`);
              return textResult('saved');
            },
          },
        }),
    },
  });
  return { calls, started };
}

async function runCode(
  harnessClient: Awaited<ReturnType<InProcessGateway['connectClient']>>,
  args: Record<string, unknown>,
) {
  const answer = await harnessClient.callTool({ name: 'execute_code', arguments: args });
  return {
    answer,
    result: answer.structuredContent as unknown as ExecuteCodeResult,
    text: (answer.content as { text: string }[])[0]!.text,
  };
}

describe('execute_code', () => {
  it('runs code that calls tools both ways and returns only what it computed', async () => {
    const { started, calls } = start({ sandbox: { approval: 'never' } });
    harness = await started;
    const client = await harness.connectClient();

    const { result } = await runCode(client, {
      code: `
        const person = await tools.people.find({ name: who });
        await tools.call('people__save', { note: 'met ' + person.name });
        console.log('found', person.name);
        ({ name: person.name, older: person.age + 1 })`,
      context: { who: 'Ada' },
    });

    expect(result.value).toEqual({ name: 'Ada', older: 37 });
    expect(result.logs).toEqual([{ level: 'log', text: 'found Ada' }]);
    expect(result.tool_calls.map((call) => [call.tool, call.status])).toEqual([
      ['people__find', 'ok'],
      ['people__save', 'ok'],
    ]);
    expect(calls).toEqual(['find Ada', 'save met Ada']);
  });

  it('asks the client before a tool that changes things, and calls it only on yes', async () => {
    const { started, calls } = start();
    harness = await started;
    const asked: string[] = [];
    let answer: 'accept' | 'decline' = 'accept';
    const client = await harness.connectClient({ elicitation: {} }, (sdkClient) =>
      sdkClient.setRequestHandler('elicitation/create', async (request) => {
        asked.push(request.params.message);
        return answer === 'accept' ? { action: 'accept', content: { allow: true } } : { action: 'decline' };
      }),
    );

    const granted = await runCode(client, { code: `await tools.people.save({ note: 'yes' })` });
    answer = 'decline';
    const declined = await runCode(client, { code: `await tools.people.save({ note: 'no' })` });

    expect(granted.result.value).toBe('saved');
    expect(asked[0]).toContain('wants to call people__save, which can change things');
    expect(asked[0]).toContain('{"note":"yes"}');
    expect(declined.answer.isError).toBe(true);
    expect(declined.text).toContain('The user declined the call of people__save');
    expect(calls).toEqual(['save yes']);
  });

  it('refuses a write from code when the client cannot be asked, saying how to allow it', async () => {
    const { started, calls } = start();
    harness = await started;
    const client = await harness.connectClient();

    const { answer, text } = await runCode(client, { code: `await tools.people.save({ note: 'x' })` });
    const readOnly = await runCode(client, { code: `(await tools.people.find({ name: 'Bo' })).name` });

    expect(answer.isError).toBe(true);
    expect(text).toContain('this client cannot be asked: it does not support elicitation');
    expect(text).toContain('"sandbox": {"approval": "never"}');
    expect(readOnly.result.value).toBe('Bo');
    expect(calls).toEqual(['find Bo']);
  });

  it('refuses tools outside sandbox.allowTools', async () => {
    const { started, calls } = start({ sandbox: { approval: 'never', allowTools: ['people__find'] } });
    harness = await started;
    const client = await harness.connectClient();

    const { answer, text } = await runCode(client, { code: `await tools.people.save({ note: 'x' })` });

    expect(answer.isError).toBe(true);
    expect(text).toContain('people__save is not in sandbox.allowTools');
    expect(calls).toEqual([]);
  });

  it('answers an identical read-only run from the cache, and never a run that wrote', async () => {
    const { started, calls } = start({ sandbox: { approval: 'never' } });
    harness = await started;
    const client = await harness.connectClient();
    const read = { code: `(await tools.people.find({ name: who })).age`, context: { who: 'Cy' } };
    const write = { code: `await tools.people.save({ note: 'w' })` };

    const first = await runCode(client, read);
    const second = await runCode(client, read);
    const otherContext = await runCode(client, { ...read, context: { who: 'Di' } });
    await runCode(client, write);
    const writeAgain = await runCode(client, write);

    expect([first.result.cache_hit, second.result.cache_hit, otherContext.result.cache_hit]).toEqual([
      false,
      true,
      false,
    ]);
    expect(second.result.value).toBe(36);
    expect(writeAgain.result.cache_hit).toBe(false);
    expect(calls).toEqual(['find Cy', 'find Di', 'save w', 'save w']);
  });

  it('redacts personal data in results and logs when sandbox.redactPii is on', async () => {
    const { started } = start({ sandbox: { redactPii: true } });
    harness = await started;
    const client = await harness.connectClient();

    const { result } = await runCode(client, {
      code: `const p = await tools.people.find({ name: 'Ada' }); console.log('mail', p.email); p`,
    });

    expect(JSON.stringify(result)).not.toContain('ada@example.com');
    expect((result.value as { email: string }).email).toMatch(/^\[Filtered/);
  });

  it('gives code the declarations of one server on demand', async () => {
    const { started } = start();
    harness = await started;
    const client = await harness.connectClient();

    const { result } = await runCode(client, {
      code: `return await tools.call('describe_tools', { server: 'people' })`,
    });
    const unknown = await runCode(client, { code: `await tools.nobody.thing({})` });

    expect(result.value).toContain('  people: {');
    expect(result.value).toContain('find(args: { name: string }): Promise<any>;');
    expect(unknown.text).toContain('Unknown tool tools.nobody.thing. Code can call tools of: people');
  });

  it('lists in code mode only execute_code, search_tools and gateway_status, with declarations of the tools', async () => {
    const { started } = start({ gateway: { toolsMode: 'code' } });
    harness = await started;
    const client = await harness.connectClient();

    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name).sort()).toEqual(['execute_code', 'gateway_status', 'search_tools']);
    const description = tools.find((tool) => tool.name === 'execute_code')!.description!;
    expect(description).toContain('declare const tools: {');
    expect(description).toContain('    find(args: { name: string }): Promise<any>;');
    expect(description).toContain('    save(args: { note: string }): Promise<any>;');
  });
});
