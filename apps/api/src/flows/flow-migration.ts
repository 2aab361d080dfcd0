import type { FlowDocument } from '@sluice/contracts';
import { migrateProperties } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';

/**
 * Property keys older versions stored (NiFi 1.x keys, earlier Sluice names) become today's names, by each
 * processor's migrateProperties. Runs on every document saved and every document read back, so flows stored
 * before a rename load under the new names. `changed` is false when nothing was renamed, set or removed.
 */
export function migrateFlowDocument(doc: FlowDocument): { doc: FlowDocument; changed: boolean } {
  let changed = false;
  const processors = doc.processors.map((p) => {
    const def = getProcessor(p.type);
    if (!def?.migrateProperties || !p.properties) return p;
    const m = migrateProperties(def, p.properties);
    if (m.changes.length === 0) return p;
    changed = true;
    return { ...p, properties: m.properties };
  });
  return { doc: changed ? { ...doc, processors } : doc, changed };
}
