export function findChromium(env?: Record<string, string | undefined>): string | null;
export function ensureChromium(env?: Record<string, string | undefined>): { path: string; error?: undefined } | { error: string; path?: undefined };
