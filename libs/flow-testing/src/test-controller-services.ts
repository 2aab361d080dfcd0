import type { ControllerServiceDefinition, ControllerServiceLookup, ControllerServiceSummary, LogLevel } from '@sluice/flow-api';
import { enableControllerServices, summarizeControllerServices, type GraphControllerService } from '@sluice/flow-core';
import { AssertionFailure } from './mock-flow-file.js';

interface EnabledServices {
  readonly summaries: Map<string, ControllerServiceSummary>;
  readonly lookup: ControllerServiceLookup;
}

/**
 * The controller services of one TestRunner, enabled as a flow enables its own: configurations validated after
 * parameter substitution, an invalid one left disabled with its failure logged. Enabled again after any change.
 */
export class TestControllerServices {
  private readonly configs: GraphControllerService[] = [];
  private readonly types = new Map<string, ControllerServiceDefinition>();
  private readonly shared = new Map<string, TestControllerServices>();
  private state: EnabledServices | null = null;

  constructor(
    private readonly parameters: Readonly<Record<string, string>>,
    private readonly log: (level: LogLevel, message: string) => void,
  ) {}

  add(id: string, definition: ControllerServiceDefinition, properties: Record<string, string>, enabled: boolean): void {
    const i = this.configs.findIndex((s) => s.id === id);
    const config = { id, type: definition.descriptor.type, name: id, properties: { ...properties }, enabled };
    if (i >= 0) this.configs[i] = config;
    else this.configs.push(config);
    this.types.set(definition.descriptor.type, definition);
    this.changed();
  }

  /** Names the other runner's service `id` here too, the instance staying the other runner's. */
  share(id: string, from: TestControllerServices): void {
    const config = from.configs.find((c) => c.id === id);
    if (!config) throw new AssertionFailure(`the other runner has no controller service '${id}'`);
    this.add(id, from.types.get(config.type)!, config.properties, config.enabled);
    this.shared.set(id, from);
  }

  setEnabled(id: string, enabled: boolean): void {
    const s = this.configs.find((c) => c.id === id);
    if (!s) throw new AssertionFailure(`no controller service '${id}' was added`);
    s.enabled = enabled;
    this.changed();
  }

  /** Forgets the enabled instances: the next use enables them again under the current configuration. */
  changed(): void {
    this.state = null;
  }

  enabled(): EnabledServices {
    if (this.state) return this.state;
    const registry = (type: string) => this.types.get(type);
    const { summaries } = summarizeControllerServices(this.configs, registry, this.parameters);
    const { lookup, failures } = enableControllerServices(this.configs, registry, summaries, this.parameters, (_s, level, message) => this.log(level, message));
    for (const f of failures) this.log('error', f.message);
    const own = lookup;
    const shared: ControllerServiceLookup = { get: (id) => (this.shared.has(id) ? this.shared.get(id)!.enabled().lookup.get(id) : own.get(id)) };
    this.state = { summaries, lookup: this.shared.size ? shared : own };
    return this.state;
  }
}
