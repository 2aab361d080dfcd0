import { validateProcessor } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { FILTER_EXPRESSION, FILTER_STRATEGY, FilterRecord } from './filter-record.processor.js';

describe('FilterRecord configuration', () => {
  it('requires a filter expression that compiles', () => {
    expect(validateProcessor(FilterRecord, {})[0]).toMatchObject({ property: FILTER_EXPRESSION, code: 'required' });
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0 &&' })[0]?.message).toMatch(/^Filter Expression: /);
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0' })).toEqual([]);
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0', [FILTER_STRATEGY]: 'drop' })[0]?.message).toContain("'drop' is not one of");
  });
  it('has a JSON-serializable descriptor', () => {
    expect(JSON.parse(JSON.stringify(FilterRecord.descriptor))).toEqual(FilterRecord.descriptor);
  });
});
