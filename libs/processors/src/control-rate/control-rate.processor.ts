import {
  handleList, propertyHandles,
  defineProcessor, parseDataSize, parseDuration, REL_FAILURE, REL_SUCCESS,
  type FlowFile, type FlowFileFilterResult, type ProcessContext, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';

const P = {
  criteria: 'Rate Control Criteria', duration: 'Time Duration', maxRate: 'Maximum Rate', maxDataRate: 'Maximum Data Rate',
  maxCountRate: 'Maximum FlowFile Rate', exceeded: 'Rate Exceeded Strategy', attribute: 'Rate Controlled Attribute', grouping: 'Grouping Attribute',
} as const;
export { P as CONTROL_RATE_PROPERTIES };

const DATA = 'data rate';
const COUNT = 'flowfile count';
const ATTRIBUTE = 'attribute value';
const DATA_OR_COUNT = 'data rate or flowfile count';
const HOLD = 'Hold FlowFile';
const ROUTE = "Route to 'rate exceeded'";
const RATE_EXCEEDED = 'rate exceeded';
/** FlowFiles let through per trigger, as NiFi batches them. */
export const MAX_FLOW_FILES_PER_BATCH = 1000;
const POSITIVE_LONG = /^0*[1-9][0-9]*$/;
const DEFAULT_GROUP = '\u0000default-group';

const values = (...v: string[]) => v.map((value) => ({ value, displayName: value }));

/** A sliding window of what went through: NiFi's Throttle, with its penalty for overshooting on one large FlowFile. */
class Throttle {
  private readonly entries: { at: number; value: number }[] = [];
  private penaltyPeriod = 0;
  private penaltyUntil = 0;
  lastUpdate = 0;

  constructor(readonly maxRate: number, private readonly periodMs: number) {}

  private sum(now: number): number {
    while (this.entries.length && this.entries[0]!.at <= now - this.periodMs) this.entries.shift();
    let total = 0;
    for (const e of this.entries) total += e.value;
    return total;
  }

  tryAdd(value: number, now: number): boolean {
    if (value < 0 || this.penaltyUntil > now) return false;
    if (this.entries.length && this.sum(now) >= this.maxRate) return false;
    if (this.penaltyPeriod > 0) {
      this.penaltyUntil = now + this.penaltyPeriod;
      this.penaltyPeriod = 0;
      return false;
    }
    this.entries.push({ at: now, value });
    const transferred = this.sum(now);
    if (transferred > this.maxRate) this.penaltyPeriod = Math.floor((this.periodMs * (transferred - this.maxRate)) / this.maxRate);
    this.lastUpdate = now;
    return true;
  }
}

interface RateState {
  readonly data: Map<string, Throttle>;
  readonly count: Map<string, Throttle>;
  lastClear: number;
}

interface Settings {
  readonly criteria: string;
  readonly periodMs: number;
  readonly dataRate: number | null;
  readonly countRate: number | null;
  readonly attribute: string | undefined;
  readonly grouping: string | undefined;
}

function settings(ctx: ProcessContext): Settings {
  return ctx.cache('control-rate-settings', () => {
    const criteria = ctx.get(PROPS[P.criteria]);
    const maxRate = ctx.get(PROPS[P.maxRate]);
    const periodSeconds = Math.floor(ctx.get(PROPS[P.duration]) / 1000);
    return {
      criteria,
      periodMs: periodSeconds * 1000,
      dataRate: criteria === DATA ? parseDataSize(maxRate ?? '') : criteria === DATA_OR_COUNT ? (ctx.get(PROPS[P.maxDataRate]) ?? null) : null,
      countRate: criteria === COUNT || criteria === ATTRIBUTE ? Number(maxRate) : criteria === DATA_OR_COUNT ? (ctx.get(PROPS[P.maxCountRate]) ?? NaN) : null,
      attribute: criteria === ATTRIBUTE ? ctx.get(PROPS[P.attribute]) : undefined,
      grouping: ctx.get(PROPS[P.grouping]) || undefined,
    };
  });
}

const state = (ctx: ProcessContext) => ctx.cache<RateState>('control-rate-state', () => ({ data: new Map(), count: new Map(), lastClear: ctx.services.clock.now() }));

function attributeValid(s: Settings, ff: FlowFile): boolean {
  if (s.criteria !== ATTRIBUTE) return true;
  const v = ff.attributes[s.attribute!];
  return v !== undefined && POSITIVE_LONG.test(v);
}

function countAccrual(s: Settings, ff: FlowFile): number {
  if (s.criteria === DATA) return -1;
  if (s.criteria !== ATTRIBUTE) return 1;
  const v = ff.attributes[s.attribute!];
  return v !== undefined && POSITIVE_LONG.test(v) ? Number(v) : -1;
}

/** NiFi's ThrottleFilter, quirks included: with both throttles, the data throttle counts a FlowFile the count throttle then refuses. */
function throttleFilter(ctx: ProcessContext, s: Settings, st: RateState): (ff: FlowFile) => FlowFileFilterResult {
  let inBatch = 0;
  const accept = (): FlowFileFilterResult => {
    inBatch++;
    if (inBatch >= MAX_FLOW_FILES_PER_BATCH) {
      inBatch = 0;
      return 'ACCEPT_AND_TERMINATE';
    }
    return 'ACCEPT_AND_CONTINUE';
  };
  return (ff) => {
    if (!attributeValid(s, ff)) return 'ACCEPT_AND_TERMINATE';
    const group = (s.grouping === undefined ? undefined : ff.attributes[s.grouping]) ?? DEFAULT_GROUP;
    const now = ctx.services.clock.now();
    let dataThrottled = false;
    if (s.dataRate !== null) {
      let t = st.data.get(group);
      if (!t) st.data.set(group, (t = new Throttle(s.dataRate, s.periodMs)));
      if (t.tryAdd(ff.size, now)) {
        if (s.countRate === null) return accept();
      } else dataThrottled = true;
    }
    if (s.countRate !== null && !dataThrottled) {
      let t = st.count.get(group);
      if (!t) st.count.set(group, (t = new Throttle(s.countRate, s.periodMs)));
      if (t.tryAdd(countAccrual(s, ff), now)) return accept();
    }
    return s.grouping === undefined ? 'REJECT_AND_TERMINATE' : 'REJECT_AND_CONTINUE';
  };
}

/** Forgets the throttles of groups not seen for two periods, so a grouping attribute with many values cannot grow without end. */
function clearExpired(ctx: ProcessContext, s: Settings, st: RateState): void {
  const now = ctx.services.clock.now();
  const last = st.lastClear;
  if (last >= now - 2 * s.periodMs) return;
  st.lastClear = now;
  for (const map of [st.data, st.count]) for (const [group, t] of map) if (t.lastUpdate < last) map.delete(group);
}

const PROPS = propertyHandles([
  { name: P.criteria, displayName: P.criteria, description: 'What the rate counts. Changing it resets the counters.', type: 'enum', required: true, default: DATA, allowableValues: values(DATA, COUNT, ATTRIBUTE, DATA_OR_COUNT) },
  { name: P.duration, displayName: P.duration, description: 'The time the Maximum Rate applies to (at least 1 sec, whole seconds). Changing it resets the counters.', type: 'duration', required: true, default: '1 min' },
  { name: P.maxRate, displayName: P.maxRate, description: "The most data per Time Duration: a data size ('1 MB') for 'data rate', else a positive whole number.", type: 'string', dependsOn: [{ property: P.criteria, values: [DATA, COUNT, ATTRIBUTE] }] },
  { name: P.maxDataRate, displayName: P.maxDataRate, description: 'The most bytes per Time Duration, as a data size.', type: 'dataSize', dependsOn: [{ property: P.criteria, values: [DATA_OR_COUNT] }] },
  { name: P.maxCountRate, displayName: P.maxCountRate, description: 'The most FlowFiles per Time Duration.', type: 'integer', validators: [{ kind: 'range', min: 1 }], dependsOn: [{ property: P.criteria, values: [DATA_OR_COUNT] }] },
  { name: P.exceeded, displayName: P.exceeded, description: "What happens to a FlowFile over the rate: it waits in its queue, or goes to 'rate exceeded'.", type: 'enum', required: true, default: HOLD, allowableValues: values(HOLD, ROUTE) },
  { name: P.attribute, displayName: P.attribute, description: "For 'attribute value': the attribute whose positive whole-number values add up to the rate; a FlowFile without one goes to failure.", type: 'string', dependsOn: [{ property: P.criteria, values: [ATTRIBUTE] }] },
  { name: P.grouping, displayName: P.grouping, description: 'One throttle per value of this attribute; one for all FlowFiles when unset.', type: 'string' },
]);

export const ControlRate = defineProcessor({
  descriptor: {
    type: 'ControlRate',
    version: 1,
    displayName: 'Control Rate',
    description:
      'Lets data through at most at a set rate: bytes, FlowFiles, or the sum of an attribute per Time Duration, with one throttle per ' +
      "value of a grouping attribute. What exceeds the rate waits in the queue, or goes to 'rate exceeded'.",
    category: 'routing',
    tags: ['rate control', 'throttle', 'rate', 'throughput'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles within the rate.' },
      { ...REL_FAILURE, description: "FlowFiles without a valid Rate Controlled Attribute ('attribute value')." },
      { name: RATE_EXCEEDED, description: 'FlowFiles over the rate.', when: { property: P.exceeded, values: [ROUTE] } },
    ],
    inputRequirement: 'required',
    triggerSerially: true,
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const criteria = config[P.criteria];
    const dataSize = (name: string, label: string) => {
      const v = config[name];
      if (v === undefined || parseDataSize(v) === null) out.push({ property: name, message: `${label} '${v ?? ''}' is not a data size (such as '1 MB')`, code: v === undefined ? 'required' : 'invalid' });
    };
    const positive = (name: string, label: string) => {
      const v = config[name];
      if (v === undefined || !POSITIVE_LONG.test(v.trim())) out.push({ property: name, message: `${label} '${v ?? ''}' is not a positive whole number`, code: v === undefined ? 'required' : 'invalid' });
    };
    if (criteria === DATA_OR_COUNT) {
      dataSize(P.maxDataRate, P.maxDataRate);
      positive(P.maxCountRate, P.maxCountRate);
    } else if (criteria === DATA) dataSize(P.maxRate, P.maxRate);
    else {
      if (criteria === ATTRIBUTE && !config[P.attribute]) {
        out.push({ property: P.attribute, message: "property must be set if using <Rate Control Criteria> of 'attribute value'", code: 'required' });
      }
      positive(P.maxRate, P.maxRate);
    }
    const period = parseDuration(config[P.duration]!);
    if (period !== null && period < 1000) out.push({ property: P.duration, message: `${P.duration} must be at least 1 sec`, code: 'invalid' });
    return out;
  },

  onTrigger(ctx, session) {
    const s = settings(ctx);
    const st = state(ctx);
    if (s.periodMs < 1000) throw new Error(`${P.duration} must be at least 1 sec`);
    clearExpired(ctx, s, st);
    if (ctx.get(PROPS[P.exceeded]) === ROUTE) {
      const batch = session.getBatch(MAX_FLOW_FILES_PER_BATCH);
      if (!batch.length) return ctx.yield();
      const filter = throttleFilter(ctx, s, st);
      for (const ff of batch) {
        const rel = !attributeValid(s, ff) ? REL_FAILURE.name : filter(ff).startsWith('ACCEPT') ? REL_SUCCESS.name : RATE_EXCEEDED;
        ctx.log.info(`Routing ${ff.uuid} to ${rel}`);
        session.transfer(ff, rel);
      }
      return;
    }
    const passed = session.getFiltered(throttleFilter(ctx, s, st));
    if (!passed.length) return ctx.yield();
    for (const ff of passed) {
      if (attributeValid(s, ff)) session.transfer(ff, REL_SUCCESS);
      else {
        ctx.log.error(`Routing ${ff.uuid} to 'failure' due to missing or invalid attribute`);
        session.transfer(ff, REL_FAILURE);
      }
    }
  },
});
