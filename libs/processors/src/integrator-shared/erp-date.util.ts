/**
 * Parses an instant written as ISO-8601 (with Z or an offset) or in the Integrator's format
 * `yyyy-MM-dd'T'HH:mm:ss.SSSSSS` without a zone (read as UTC). Returns epoch millis plus the
 * microseconds beyond them, or null.
 */
export function parseInstant(text: string): { ms: number; micros: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const whole = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(whole)) return null;
  const fraction = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  return { ms: whole + Number(fraction.slice(0, 3)), micros: Number(fraction.slice(3)) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `yyyy-MM-dd'T'HH:mm:ss.SSSSSS` of the instant in the given IANA time zone (the Integrator's ERP format). */
export function formatInZone(instant: { ms: number; micros: number }, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(instant.ms))) parts[p.type] = p.value;
  const millis = String(((instant.ms % 1000) + 1000) % 1000).padStart(3, '0');
  const micros = String(instant.micros).padStart(3, '0');
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}.${millis}${micros}`;
}
