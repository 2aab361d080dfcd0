/** Corpus cases where Sluice deliberately differs from NiFi, with the reason (see README). */
export const KNOWN_DIVERGENCES: Readonly<Record<string, string>> = {};
