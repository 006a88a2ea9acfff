// Routes downstream progress notifications to the call that asked for them. pml does this rather
// than the SDK, which forgets a request's progress handler as soon as the result is read, so the
// last progress, read in the same chunk as the result, would be lost.

export type ProgressListener = (progress: { progress: number; total?: number; message?: string }) => void;

export class ProgressRouter {
  private readonly listeners = new Map<string, ProgressListener>();
  private issued = 0;

  /** A token of pml's own: tokens from two clients may be equal. */
  register(listener: ProgressListener): string {
    const token = `pml-${++this.issued}`;
    this.listeners.set(token, listener);
    return token;
  }

  release(token: string): void {
    this.listeners.delete(token);
  }

  /** Delivers to the call that owns the token; false when no call of pml's owns it. */
  deliver(params: { progressToken?: unknown; progress: number; total?: number; message?: string }): boolean {
    const { progressToken, ...progress } = params ?? {};
    const listener = this.listeners.get(String(progressToken));
    listener?.(progress);
    return listener !== undefined;
  }
}

type Request = { method: string; params?: Record<string, unknown> };

/** The request with `entries` added to its `params._meta`. */
export function withMeta(request: Request, entries: Record<string, unknown>): Request {
  const params = request.params ?? {};
  return {
    ...request,
    params: { ...params, _meta: { ...(params._meta as object | undefined), ...entries } },
  };
}
