import type { ProvenanceEvent } from '@sluice/flow-core';
import { describe, expect, it } from 'vitest';
import { redactEvents, redactEventsSliced } from './event-redaction.js';
import { MASK } from './redaction.js';
import { SecretRegistry } from './secret-registry.js';

const event = (i: number, details: string, attributes: Record<string, string> = {}): ProvenanceEvent => ({
  eventType: 'SEND',
  flowId: 'f',
  processorId: 'p',
  flowFileUuid: `u${i}`,
  relationship: null,
  parentUuids: [],
  childUuids: [],
  transitUri: `https://omnitron.example/api/stock?token=t${i}`,
  details,
  timestamp: i,
  attributes,
  size: 0,
});

describe('redactEventsSliced', () => {
  it('masks what redactEvents masks, tokens the batch carries included', async () => {
    const events = [
      event(0, 'login', { 'token.omnitron': 'omni-token-123456', 'login.error': 'https://bob:pw@erp/x' }),
      event(1, '{"sku":"A","note":"sent with omni-token-123456"}', { sku: 'A' }),
      event(2, 'nothing to hide', { sku: 'B' }),
    ];
    const sliced = await redactEventsSliced(events, new SecretRegistry());
    expect(sliced).toEqual(redactEvents(events, new SecretRegistry()));
    expect(sliced[0]!.attributes).toMatchObject({ 'token.omnitron': MASK, 'login.error': `https://bob:${MASK}@erp/x` });
    expect(sliced[1]!.details).toBe(`{"sku":"A","note":"sent with ${MASK}"}`);
    expect(sliced[1]!.transitUri).toBe(`https://omnitron.example/api/stock?token=${MASK}`);
    expect(sliced[2]!.details).toBe('nothing to hide');
  });

  it('lets the event loop turn while it redacts many large details', async () => {
    const body = JSON.stringify(Array.from({ length: 1500 }, (_, i) => ({ product_sku: `SKU-${i}`, stock: i, stock_list: '1' })));
    const events = Array.from({ length: 200 }, (_, i) => event(i, `POST https://omnitron.example/api/stock ${body}`));
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    try {
      await redactEventsSliced(events, new SecretRegistry());
    } finally {
      clearInterval(counting);
    }
    // Twelve megabytes of text take several slices: no turn at all would mean the whole batch ran in one task.
    expect(turns).toBeGreaterThan(0);
  });
});
