/**
 * NiFi's `migrateProperties`: a processor renames or drops property keys that older versions stored, when a flow
 * is loaded. Sluice runs it when a flow document is saved, so stored flows hold the current names.
 */
import type { ProcessorDefinition } from './processor.js';
import type { PropertyValues } from './property.js';

/** The stored properties of one processor, as `migrateProperties` sees them (NiFi's PropertyConfiguration). */
export interface PropertyConfiguration {
  hasProperty(name: string): boolean;
  getPropertyValue(name: string): string | undefined;
  setProperty(name: string, value: string): void;
  /** False when there was nothing to remove. */
  removeProperty(name: string): boolean;
  /** Moves the value of `oldName` to `newName` (replacing what `newName` held); false when `oldName` is not set. */
  renameProperty(oldName: string, newName: string): boolean;
}

export interface PropertyMigration {
  readonly properties: Record<string, string>;
  /** What changed, e.g. `renamed 'jolt-spec' to 'Jolt Specification'`. */
  readonly changes: readonly string[];
  /** Old key to new key, for every rename that moved a value (NiFi's `getPropertiesRenamed`). */
  readonly renamed: Readonly<Record<string, string>>;
}

/** Applies the definition's migration to a copy of `values`; properties stay in their order, renamed in place. */
export function migrateProperties(definition: ProcessorDefinition, values: PropertyValues): PropertyMigration {
  let entries: [string, string][] = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
  const changes: string[] = [];
  const renamed: Record<string, string> = {};
  const index = (name: string) => entries.findIndex(([k]) => k === name);
  const config: PropertyConfiguration = {
    hasProperty: (name) => index(name) >= 0,
    getPropertyValue: (name) => entries[index(name)]?.[1],
    setProperty(name, value) {
      const i = index(name);
      if (i >= 0) entries[i] = [name, value];
      else entries.push([name, value]);
      changes.push(`set '${name}'`);
    },
    removeProperty(name) {
      const i = index(name);
      if (i < 0) return false;
      entries.splice(i, 1);
      changes.push(`removed '${name}'`);
      return true;
    },
    renameProperty(oldName, newName) {
      const i = index(oldName);
      if (i < 0) return false;
      const value = entries[i]![1];
      entries = entries.filter(([k], j) => j === i || k !== newName);
      entries[entries.findIndex(([k]) => k === oldName)] = [newName, value];
      changes.push(`renamed '${oldName}' to '${newName}'`);
      renamed[oldName] = newName;
      return true;
    },
  };
  definition.migrateProperties?.(config);
  return { properties: Object.fromEntries(entries), changes, renamed };
}
