// `${VAR}` and `${VAR:-default}` expansion over every string of a parsed JSON value. Unset variables
// without a default are collected as problems so the user sees them all at once.

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpansionProblem {
  path: string;
  variable: string;
}

export function expandEnvironment(
  value: unknown,
  env: Record<string, string | undefined>,
  problems: ExpansionProblem[],
  path: string[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(VARIABLE, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path: path.join('.'), variable: name });
      return '';
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnvironment(item, env, problems, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        expandEnvironment(item, env, problems, [...path, key]),
      ]),
    );
  }
  return value;
}
