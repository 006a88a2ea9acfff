// Command output for people and scripts. Only one-shot commands use it: in `serve` stdout is the protocol.

export function writeOut(line: string): void {
  process.stdout.write(`${line}\n`);
}
