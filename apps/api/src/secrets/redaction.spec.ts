import { describe, expect, it, vi } from 'vitest';
import { RedactingLogger } from './redacting-logger.js';
import { isSensitiveName, MASK, maskAttributes } from './redaction.js';
import { SecretRegistry } from './secret-registry.js';

describe('redaction', () => {
  const secrets = new SecretRegistry();
  secrets.add('erp-token-abcdef');
  secrets.add('p@ss word/1');

  it('masks known values, also URL-encoded and inside URL paths', () => {
    expect(secrets.redact('GET http://erp/(S(erp-token-abcdef))/service/run failed')).toBe(`GET http://erp/(S(${MASK}))/service/run failed`);
    expect(secrets.redact('x?pw=p%40ss%20word%2F1&y=1')).toBe(`x?pw=${MASK}&y=1`);
    expect(secrets.redact('value erp-token-abcdef here')).toBe(`value ${MASK} here`);
  });

  it('masks credentials by their shape', () => {
    expect(secrets.redact('https://bob:hunter2@erp.example.com/api')).toBe(`https://bob:${MASK}@erp.example.com/api`);
    expect(secrets.redact('/items?sku=1&api_key=k123&access_token=t456&page=2')).toBe(`/items?sku=1&api_key=${MASK}&access_token=${MASK}&page=2`);
    expect(secrets.redact('Authorization: Token 0123456789abcdef')).toBe(`Authorization: ${MASK}`);
    expect(secrets.redact('{"authorization":"Bearer abc.def.ghi"}')).toBe(`{"authorization":"${MASK}"}`);
    expect(secrets.redact('sent Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe(`sent Bearer ${MASK}`);
    expect(secrets.redact('{"key": "0a1b2c3d", "password": "x\\"y", "sku": "A"}')).toBe(`{"key": "${MASK}", "password": "${MASK}", "sku": "A"}`);
    expect(secrets.redact('Omnitron Token TTL is 12 hours; sku=ABC')).toBe('Omnitron Token TTL is 12 hours; sku=ABC');
    // Whatever the case of the member's name, in a large body where nothing else matches.
    const rows = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ product_sku: `SKU-${i}`, stock: i })));
    const body = `${rows.slice(0, -1)},{"User_PASSWD":"a1","Api-Key":"b2","KEY":"c3","SessionToken":"d4"}]`;
    expect(secrets.redact(body)).toBe(`${rows.slice(0, -1)},{"User_PASSWD":"${MASK}","Api-Key":"${MASK}","KEY":"${MASK}","SessionToken":"${MASK}"}]`);
    expect(secrets.redact(`${rows} from ftp://ann:s3cret@files.example.com/`)).toBe(`${rows} from ftp://ann:${MASK}@files.example.com/`);
  });

  it('knows credential attribute names', () => {
    for (const n of ['token.omnitron', 'token.erp', 'erp.auth.header.value', 'erp.password', 'client_secret', 'x-api-key', 'api.key', 'Authorization', 'my.credentials']) expect(isSensitiveName(n), n).toBe(true);
    for (const n of ['erp.auth.key', 'erp.auth.header.name', 'execution.id', 'sku', 'keyword', 'tokenizer', 'login.error']) expect(isSensitiveName(n), n).toBe(false);
    expect(maskAttributes({ 'token.erp': 't', sku: 'A' })).toEqual({ 'token.erp': MASK, sku: 'A' });
    const same = { sku: 'A' };
    expect(maskAttributes(same)).toBe(same);
  });

  it('learns tokens from attributes and keeps the newest values only', () => {
    const r = new SecretRegistry();
    r.addAttributes({ 'token.omnitron': 'omni-token-999', sku: 'not-a-secret-1' });
    expect(r.redact('omni-token-999 / not-a-secret-1')).toBe(`${MASK} / not-a-secret-1`);
    expect(r.redactAttributes({ url: 'http://x/omni-token-999', 'token.erp': 'abc' })).toEqual({ url: `http://x/${MASK}`, 'token.erp': MASK });
  });

  it('the server log masks secrets and survives lines without a stack', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const logger = new RedactingLogger(secrets, ['error', 'warn', 'log']);
      logger.error('login failed for https://u:pw@h/ with erp-token-abcdef');
      logger.error('no stack here', undefined);
      logger.log('fine');
      const written = [...out.mock.calls, ...err.mock.calls].map((c) => String(c[0])).join('');
      expect(written).toContain(`https://u:${MASK}@h/`);
      expect(written).not.toContain('erp-token-abcdef');
      expect(written).toContain('no stack here');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
