// The text of a tool result's content, for a message about an `isError` result: each text block,
// other blocks by their type.

export function toToolResultText(result: { content?: unknown[] }): string {
  const content = (result.content ?? []) as { type?: string; text?: string }[];
  return (
    content.map((item) => item.text ?? `[${item.type ?? 'content'}]`).join('\n') ||
    'the tool returned isError with no text'
  );
}
