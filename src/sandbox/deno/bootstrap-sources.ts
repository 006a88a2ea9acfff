// The two scripts that run inside Deno, as data: URLs, so that the sandbox reads no file at all
// (not even its own bootstrap) and `Deno.mainModule` tells the code nothing about the install.
// They sit beside this module: TypeScript under src/ (tests), JavaScript under dist/ (tsc emits them).
import { readFileSync } from 'node:fs';

export interface BootstrapUrls {
  mainUrl: string;
  workerUrl: string;
}

let cached: BootstrapUrls | undefined;

export function loadBootstrapUrls(): BootstrapUrls {
  cached ??= {
    mainUrl: toDataUrl('main-thread'),
    workerUrl: toDataUrl('user-worker'),
  };
  return cached;
}

function toDataUrl(name: string): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`./in-sandbox/${name}.${extension}`, import.meta.url);
  // A source map comment would point Deno at a file next to a data: URL, which does not exist.
  const source = readFileSync(url, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  const mediaType = extension === 'ts' ? 'application/typescript' : 'application/javascript';
  return `data:${mediaType};base64,${Buffer.from(source, 'utf8').toString('base64')}`;
}
