// Decides whether an object key names a secret, so its value is dropped without looking at it.
// Keys are compared after lower-casing and removing everything but letters and digits, so
// `X-API-Key`, `api_key` and `apiKey` are the same key.

// Anywhere in the key: these words do not appear in harmless field names.
const SENSITIVE_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'privatekey',
  'cookie',
  'credential',
  'signingkey',
  'encryptionkey',
];

// Whole key only: as parts they are too common (`authorization_endpoint` in OAuth metadata,
// `author`, `passes`). `dsn` is deliberately absent: a Sentry DSN is not a secret.
const SENSITIVE_NAMES = new Set([
  'auth',
  'authorization',
  'proxyauthorization',
  'pass',
  'pwd',
  'jwt',
  'bearer',
  'ssn',
  'cvv',
  'cvv2',
  'cvc',
  'otp',
]);

export function toKeyName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * True for keys such as `password`, `client_secret`, `Authorization`, `Set-Cookie`, `x-api-key`,
 * `access_token`. Keys ending in `token` count (`refresh_token`, `csrfToken`) but `max_tokens`
 * and `token_count` do not: LLM token counts are everywhere in a gateway and are not secrets.
 * `extraNames` must already be normalised with `toKeyName` and match whole keys.
 */
export function isSensitiveKey(key: string, extraNames?: ReadonlySet<string>): boolean {
  const name = toKeyName(key);
  if (name.endsWith('token') || SENSITIVE_NAMES.has(name) || extraNames?.has(name)) return true;
  return SENSITIVE_PARTS.some((part) => name.includes(part));
}
