/** DetectDuplicate against the cases of NiFi's TestDetectDuplicate, restated, through the real session and context. */
import { TestRunner } from '@sluice/flow-testing';
import { describe, it } from 'vitest';
import { MapCacheClientService } from '../map-cache/map-cache-client.service.js';
import { DetectDuplicate } from './detect-duplicate.processor.js';

function runner(ageOff: string, cacheIdentifier?: string) {
  const r = new TestRunner(DetectDuplicate).addControllerService('client', MapCacheClientService);
  r.setProperties({ 'Distributed Cache Service': 'client', 'FlowFile Description': 'The original flow file', 'Age Off Duration': ageOff });
  if (cacheIdentifier) r.setProperty('Cache The Entry Identifier', cacheIdentifier);
  return r;
}
const props = { 'hash.value': '1000' };

describe('DetectDuplicate (NiFi TestDetectDuplicate cases)', () => {
  it('testDuplicate', async () => {
    const r = runner('48 hours');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.clearTransferState();
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('duplicate', 1);
    r.assertTransferCount('non-duplicate', 0);
    r.assertTransferCount('failure', 0);
  });

  it('testDuplicateWithAgeOff', async () => {
    const r = runner('2 secs');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.clearTransferState();
    await r.clock.advance(3000);
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.assertTransferCount('duplicate', 0);
  });

  it('testDuplicateNoCache: check only, then cache, then a duplicate', async () => {
    const r = runner('48 hours', 'false');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.clearTransferState();
    r.setProperty('Cache The Entry Identifier', 'true');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.clearTransferState();
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('duplicate', 1);
  });

  it('testDuplicateNoCacheWithAgeOff', async () => {
    const r = runner('2 secs');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.clearTransferState();
    await r.clock.advance(3000);
    r.setProperty('Cache The Entry Identifier', 'false');
    r.enqueue('', props);
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
    r.assertTransferCount('duplicate', 0);
  });
});
