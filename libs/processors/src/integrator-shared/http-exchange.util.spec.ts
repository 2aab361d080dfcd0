import { describe, expect, it } from 'vitest';
import { exchangeDetails } from './http-exchange.util.js';

describe('exchangeDetails', () => {
  it('keeps a long request body cut with its length, the answer and the outcome as JSON', () => {
    const body = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ sku: `SKU-${i}`, note: 'é "quoted" \\ \u0001' })));
    const answer = new TextEncoder().encode('{"ok":true}');
    const details = JSON.parse(exchangeDetails({ method: 'POST', url: 'http://omnitron/api', body, response: { status: 200, statusText: 'OK', headers: {}, body: answer, durationMs: 4.5 } }));
    expect(details).toEqual({
      http: { method: 'POST', url: 'http://omnitron/api', status: 200, request: `${body.slice(0, 64 * 1024)}\n… [cut: ${body.length} characters in all]`, response: '{"ok":true}', error: null, durationMs: 4.5 },
    });
  });

  it('writes a failed request without an answer', () => {
    expect(JSON.parse(exchangeDetails({ method: 'GET', url: 'http://erp/"x"', error: 'connection refused', durationMs: 12 }))).toEqual({
      http: { method: 'GET', url: 'http://erp/"x"', status: null, request: null, response: null, error: 'connection refused', durationMs: 12 },
    });
  });
});
