import type { ProcessContext } from './context.js';
import type { PropertyDescriptor, PropertyValues } from './property.js';
import { conditionHolds } from './property.js';
import type { PropertyCondition, Relationship } from './relationship.js';
import type { HttpRequest } from './services.js';
import type { ProcessSession } from './session.js';
import type { PropertyConfiguration } from './migration.js';

export type InputRequirement = 'required' | 'allowed' | 'forbidden';
export type SchedulingStrategy = 'timer' | 'cron' | 'event';

export interface AttributeDoc {
  readonly name: string;
  readonly description: string;
  /** A written attribute that holds why the FlowFile went to a failure relationship (see `Relationship.failure`). */
  readonly error?: true;
}

/**
 * What a step is to a host that works with whole flows, beyond routing FlowFiles:
 * - `login`: logs in to another system and hands later steps the token it got; a host that must reach the same
 *   system outside a run uses this step's exposed `target.*` properties.
 * - `row-writer`: writes the rows of its input to another system, one outcome per row; it implements `checkRow`,
 *   so rows can be refused by its own rules before they enter a flow.
 * - `script`: runs user code, which the host compiles and checks before the step may start.
 */
export type ProcessorRole = 'login' | 'row-writer' | 'script';

/** Why a row would be refused: the field at fault (null for the row as a whole) and the reason. */
export interface RowProblem {
  readonly field: string | null;
  readonly message: string;
}

/** Everything about a processor type that the web, docs and scheduler need. JSON-serializable. */
export interface ProcessorDescriptor {
  /** NiFi class name where one exists (RouteOnAttribute, InvokeHTTP, ...). */
  readonly type: string;
  readonly version: number;
  readonly displayName: string;
  readonly description: string;
  /**
   * The palette group it is listed under. An open set: this contract fixes none, the catalogue that ships the
   * processor declares the groups it uses (and checks each processor names one of them).
   */
  readonly category: string;
  readonly tags: readonly string[];
  readonly properties: readonly PropertyDescriptor[];
  readonly relationships: readonly Relationship[];
  /** User-added properties are allowed; each is evaluated as described. */
  readonly dynamicProperties?: {
    readonly description: string;
    readonly expressionScope: 'none' | 'environment' | 'flowfile';
  };
  /** Each dynamic property becomes a relationship of the same name, when the condition holds. */
  readonly dynamicRelationships?: {
    readonly description: string;
    readonly when?: PropertyCondition;
  };
  readonly inputRequirement: InputRequirement;
  /** What the processor does outside Sluice; absent: nothing (it only reads and writes FlowFiles). */
  readonly sideEffects?: SideEffects;
  readonly readsAttributes?: readonly AttributeDoc[];
  readonly writesAttributes?: readonly AttributeDoc[];
  readonly defaultSchedule?: { readonly strategy: SchedulingStrategy; readonly period: string };
  /** Only one task at a time, whatever the configured concurrency. */
  readonly triggerSerially?: boolean;
  /**
   * The processor may run several triggers in one session and commit them together (NiFi's @SupportsBatching):
   * how long one task keeps going by default. A flow may change it per processor (`scheduling.runDuration`).
   */
  readonly defaultRunDuration?: string;
  /**
   * It reshapes content by logic the user writes (a script, a transform specification): what leaves it cannot be
   * checked ahead of a run against the rules of the steps after it.
   */
  readonly userTransform?: boolean;
  /** What the step is to a host beyond its routes (`ProcessorRole`); absent: none of them. */
  readonly roles?: readonly ProcessorRole[];
}

/**
 * The systems outside Sluice a processor talks to. Testing such a processor is a dry run unless the user asks for a
 * live one: its requests are recorded and shown, not sent. Testing it at all, or running it once, needs the editor
 * role (it uses the flow's credentials).
 */
export interface SideEffects {
  /** Who is reached, as a live run's confirmation names them: `the server at Remote URL`. */
  readonly systems: readonly string[];
  /** It changes data there (a write); false when it only reads or logs in. */
  readonly writes: boolean;
  /** Only when this condition on the configuration holds (a script with Allow HTTP). */
  readonly when?: PropertyCondition;
}

/** The answer a dry run gives a request in place of the other system's (see ProcessorDefinition.dryRunResponse). */
export interface DryRunResponse {
  readonly status: number;
  /** Sent as JSON. */
  readonly body: unknown;
}

export interface ValidationResult {
  /** The property at fault, or null for the processor as a whole. */
  readonly property: string | null;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** `required`: a value is still missing (the flow may be saved, not started); `invalid`: the value is wrong. */
  readonly code?: 'required' | 'invalid';
}

export interface ProcessorDefinition {
  readonly descriptor: ProcessorDescriptor;
  /** Renames or drops property keys older versions stored (NiFi's migrateProperties); see migration.ts. */
  migrateProperties?(config: PropertyConfiguration): void;
  /**
   * Cross-property checks; run only after every single-property check passed, on the values after parameter
   * substitution with each unset property's default in force (`crossPropertyConfig`). Server side only.
   */
  validate?(config: PropertyValues): ValidationResult[];
  /**
   * Dry runs: the answer to give a request the processor made, in place of the other system's, so the processor
   * goes on and shows every request it would send (a login answered with a token, a read with an empty page).
   * `config` has every unset property's default in force. Absent, or returning undefined: `200 {}`.
   */
  dryRunResponse?(request: HttpRequest, config: PropertyValues): DryRunResponse | undefined;
  /**
   * A `row-writer`'s own rule for one row of its input: why it would refuse the row, or null when it would write
   * it. `config` has every unset property's default in force; values that depend on a FlowFile are not known yet,
   * so a rule that needs one leaves the row to the write.
   */
  checkRow?(row: unknown, config: PropertyValues): RowProblem | null;
  onScheduled?(context: ProcessContext): void | Promise<void>;
  onStopped?(context: ProcessContext): void | Promise<void>;
  onTrigger(context: ProcessContext, session: ProcessSession): void | Promise<void>;
}

export class DescriptorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescriptorError';
  }
}

/** Declares a processor. Checks the descriptor's own consistency once, at load. */
export function defineProcessor<T extends ProcessorDefinition>(definition: T): T {
  const d = definition.descriptor;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(d.type)) throw new DescriptorError(`processor type '${d.type}' must be a PascalCase class name`);
  const names = new Set<string>();
  for (const p of d.properties) {
    if (names.has(p.name)) throw new DescriptorError(`${d.type}: duplicate property '${p.name}'`);
    names.add(p.name);
    if (p.type === 'enum' && !p.allowableValues?.length) throw new DescriptorError(`${d.type}.${p.name}: enum without allowable values`);
  }
  const rels = new Set<string>();
  for (const r of d.relationships) {
    if (rels.has(r.name)) throw new DescriptorError(`${d.type}: duplicate relationship '${r.name}'`);
    if (r.name !== r.name.toLowerCase() && !/^[A-Z][a-z]+( [A-Z][a-z]+)*$/.test(r.name)) {
      throw new DescriptorError(`${d.type}: relationship '${r.name}' must be lower-case (or NiFi's Title Case)`);
    }
    rels.add(r.name);
  }
  const exposed = new Set<string>();
  for (const p of d.properties) {
    if (p.exposedAs === undefined) continue;
    if (exposed.has(p.exposedAs)) throw new DescriptorError(`${d.type}: two properties exposed as '${p.exposedAs}'`);
    exposed.add(p.exposedAs);
  }
  if (hasRole(d, 'row-writer') !== (definition.checkRow !== undefined)) {
    throw new DescriptorError(`${d.type}: a row-writer implements checkRow, and only a row-writer does`);
  }
  return Object.freeze(definition);
}

/** Relationships in force for a configuration: static ones whose condition holds plus dynamic ones. */
export function relationshipsFor(descriptor: ProcessorDescriptor, config: PropertyValues): Relationship[] {
  const defaults = defaultValues(descriptor);
  const out: Relationship[] = [];
  for (const r of descriptor.relationships) {
    if (!r.when || conditionHolds(r.when, config, defaults)) out.push(r);
  }
  const dyn = descriptor.dynamicRelationships;
  if (dyn && (!dyn.when || conditionHolds(dyn.when, config, defaults))) {
    const known = new Set(descriptor.properties.map((p) => p.name));
    for (const name of Object.keys(config)) {
      if (!known.has(name) && config[name] !== undefined && !out.some((r) => r.name === name)) {
        out.push({ name, description: `FlowFiles that match the '${name}' rule.` });
      }
    }
  }
  return out;
}

export function hasRole(descriptor: Pick<ProcessorDescriptor, 'roles'>, role: ProcessorRole): boolean {
  return descriptor.roles?.includes(role) ?? false;
}

/** Names of the relationships whose FlowFiles did not get through the step. */
export function failureRelationships(descriptor: Pick<ProcessorDescriptor, 'relationships'>): Set<string> {
  return new Set(descriptor.relationships.filter((r) => r.failure).map((r) => r.name));
}

/** The written attributes that say why a FlowFile failed, in the order the descriptor lists them. */
export function errorAttributes(descriptor: Pick<ProcessorDescriptor, 'writesAttributes'>): string[] {
  return (descriptor.writesAttributes ?? []).filter((a) => a.error).map((a) => a.name);
}

/** The property a host reads by meaning (`PropertyDescriptor.exposedAs`), or undefined when there is none. */
export function exposedProperty(descriptor: Pick<ProcessorDescriptor, 'properties'>, meaning: string): PropertyDescriptor | undefined {
  return descriptor.properties.find((p) => p.exposedAs === meaning);
}

/** Whether the processor, so configured, reaches systems outside Sluice. */
export function hasSideEffects(descriptor: ProcessorDescriptor, config: PropertyValues): boolean {
  const s = descriptor.sideEffects;
  return s !== undefined && (!s.when || conditionHolds(s.when, config, defaultValues(descriptor)));
}

export function defaultValues(descriptor: Pick<ProcessorDescriptor, 'properties'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of descriptor.properties) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}
