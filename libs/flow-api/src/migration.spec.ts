import { describe, expect, it } from 'vitest';
import { defineProcessor, migrateProperties } from './index.js';

const definition = defineProcessor({
  descriptor: {
    type: 'Migrating', version: 1, displayName: 'Migrating', description: '', category: 'utility', tags: [],
    properties: [], relationships: [], inputRequirement: 'allowed',
  },
  migrateProperties(config) {
    config.renameProperty('old-a', 'A');
    config.renameProperty('old-missing', 'M');
    if (config.getPropertyValue('mode') === 'legacy') config.setProperty('mode', 'current');
    config.removeProperty('dropped');
  },
  onTrigger() {},
});

describe('migrateProperties', () => {
  it("renames in place (replacing what the new key held), sets and removes, as NiFi's PropertyConfiguration does", () => {
    const r = migrateProperties(definition, { first: '1', 'old-a': 'x', A: 'stale', mode: 'legacy', dropped: 'd', last: undefined });
    expect(Object.entries(r.properties)).toEqual([['first', '1'], ['A', 'x'], ['mode', 'current']]);
    expect(r.changes).toEqual(["renamed 'old-a' to 'A'", "set 'mode'", "removed 'dropped'"]);
    expect(r.renamed).toEqual({ 'old-a': 'A' });
  });

  it('changes nothing for a processor without a migration', () => {
    const plain = defineProcessor({ ...definition, migrateProperties: undefined });
    expect(migrateProperties(plain, { a: '1' })).toEqual({ properties: { a: '1' }, changes: [], renamed: {} });
  });
});
