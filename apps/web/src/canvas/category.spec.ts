import { PROCESSOR_CATEGORIES, processorDescriptors } from '@sluice/processors';
import { describe, expect, it } from 'vitest';
import { CATEGORY_LABEL, CATEGORY_ORDER } from './category.js';

describe('palette categories', () => {
  it('are the groups the catalogue declares, in its order, each with a label', () => {
    expect(CATEGORY_ORDER).toEqual([...PROCESSOR_CATEGORIES]);
    for (const c of CATEGORY_ORDER) expect(CATEGORY_LABEL[c], c).toBeTruthy();
    for (const d of processorDescriptors()) expect(CATEGORY_ORDER, d.type).toContain(d.category);
  });
});
