import type { ProcessorTestMode, ProcessorTestResultDto, RecordedRequestDto } from '@sluice/contracts';
import { fromUtf8 } from '@sluice/flow-api';
import type { RowLog } from '@sluice/processors';
import type { RecordedRequest, TestProcessorResult } from '@sluice/flow-core';
import { isSensitiveName, MASK } from '../secrets/redaction.js';
import type { SecretRegistry } from '../secrets/secret-registry.js';

/** Rows of a request body shown per request; the count says how many it had. */
const ROWS_SHOWN = 500;
const BODY_SHOWN = 64 * 1024;
const ROW_LOGS_SHOWN = 1000;

/** Headers that carry credentials whatever their value looks like; the scheme word stays readable. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$/i;

function maskHeader(name: string, value: string, secrets: SecretRegistry): string {
  if (CREDENTIAL_HEADER.test(name) || isSensitiveName(name)) {
    const scheme = /^(Bearer|Token|Basic|Digest|ApiKey)\s+/i.exec(value);
    return scheme ? `${scheme[1]} ${MASK}` : MASK;
  }
  return secrets.redact(value);
}

/** A recorded request as the test pane shows it: secrets masked, a JSON array body as rows. */
export function recordedRequestDto(r: RecordedRequest, secrets: SecretRegistry): RecordedRequestDto {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k] = maskHeader(k, v, secrets);
  const body = r.body === null ? null : secrets.redact(r.body);
  let rows: unknown[] | undefined;
  if (body !== null && body.trimStart().startsWith('[')) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (Array.isArray(parsed)) rows = parsed;
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return {
    method: r.method,
    url: secrets.redact(r.url),
    headers,
    body: rows ? null : body === null ? null : body.length > BODY_SHOWN ? `${body.slice(0, BODY_SHOWN)}…` : body,
    ...(rows ? { rows: rows.slice(0, ROWS_SHOWN), rowCount: rows.length } : {}),
    answer: r.answer,
  };
}

/** A processor test's answer, secrets masked wherever they could show. */
export function testResultDto(
  mode: ProcessorTestMode,
  result: TestProcessorResult & { consumed?: boolean },
  secrets: SecretRegistry,
  dry?: { requests: readonly RecordedRequest[]; count: number; rows: readonly RowLog[] },
): ProcessorTestResultDto {
  const redact = (s: string) => secrets.redact(s);
  return {
    mode,
    outputs: result.outputs.map((o) => ({ relationship: o.relationship, attributes: secrets.redactAttributes(o.attributes), content: fromUtf8(o.content) })),
    ...(result.error !== undefined ? { error: redact(result.error) } : {}),
    logs: result.logs.map((l) => ({ level: l.level, message: redact(l.message) })),
    ...(dry
      ? {
          requests: dry.requests.map((r) => recordedRequestDto(r, secrets)),
          requestCount: dry.count,
          rows: dry.rows.slice(0, ROW_LOGS_SHOWN).map((r) => ({ sku: r.sku, status: r.status, message: redact(r.message) })),
        }
      : {}),
    ...(result.consumed !== undefined ? { consumed: result.consumed } : {}),
  };
}
