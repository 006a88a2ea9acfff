// A result "schema" for the SDK's request(): it calls `safeParse` on whatever it is given. The
// gateway forwards results as they are; the SDK's zod parse of each one would double a proxy hop.
export const PASSTHROUGH_RESULT = { safeParse: (data: unknown) => ({ success: true as const, data }) };
