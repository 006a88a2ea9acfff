// What `$OUTPUT[taskId]` stands for: a task's structured content when the tool gave one, else the
// text of its text blocks (which a path may read into when it is JSON), else its content list.
import type { TaskResult } from './ports.js';

export function toTaskOutput(result: TaskResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = (result.content ?? []) as { type?: string; text?: string }[];
  if (content.length > 0 && content.every((item) => item.type === 'text'))
    return content.map((item) => item.text ?? '').join('\n');
  return content;
}
