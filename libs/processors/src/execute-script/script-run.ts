import {
  newFlowFile,
  REL_FAILURE,
  REL_SUCCESS,
  type FlowFile,
  type ProcessContext,
  type ProcessSession,
  type ScriptContext,
  type ScriptFlowFileInfo,
  type ScriptHostCall,
  type ScriptHostReply,
  type ScriptOutput,
  type ScriptProperty,
  type ScriptResult,
} from '@sluice/flow-api';

/** Where an uncaught script error lands, as in the Integrator's base script. */
export const SCRIPT_ERROR_ATTRIBUTE = 'log.error.script_error';

const ROUTABLE = new Set([REL_SUCCESS.name, REL_FAILURE.name]);
/** How many queued FlowFiles one `session.get(filter)` looks at (NiFi's default queue threshold). */
const PEEK_LIMIT = 10_000;

/**
 * One ExecuteScript trigger: answers the script's host calls against the real session and context while it runs
 * (more FlowFiles, their content, state, Expression Language, uuids for FlowFiles it creates), then applies what
 * the script did. FlowFiles are named by key: `i<n>` for the n-th taken, `c<n>` for the n-th created.
 */
export class ScriptRun {
  private readonly held: FlowFile[] = [];
  private readonly contents = new Map<number, Uint8Array>();
  private readonly created = new Map<string, FlowFile>();
  private readonly current = new Map<string, FlowFile>();

  constructor(
    private readonly ctx: ProcessContext,
    private readonly session: ProcessSession,
    private readonly descriptorProperties: readonly string[],
    first: FlowFile | null,
    firstContent: Uint8Array | null,
  ) {
    if (first) this.hold(first, firstContent);
  }

  get heldCount(): number {
    return this.held.length;
  }

  private hold(ff: FlowFile, content: Uint8Array | null = null): ScriptFlowFileInfo {
    const index = this.held.length;
    this.held.push(ff);
    this.current.set(`i${index}`, ff);
    if (content) this.contents.set(index, content);
    return { index, attributes: ff.attributes, size: ff.size, lineageStartDate: ff.lineageStartDate, entryDate: ff.entryDate, penalized: ff.penaltyExpiration > 0 };
  }

  /** The `context` half of the script request. */
  scriptContext(): ScriptContext {
    const ctx = this.ctx;
    return {
      processorName: ctx.processorName,
      processorId: ctx.processorId,
      properties: ctx.cache('script.properties', () => scriptProperties(ctx, this.descriptorProperties)),
      connected: [REL_SUCCESS.name, REL_FAILURE.name].filter((r) => ctx.isConnected(r)),
      hasIncomingConnection: ctx.hasIncomingConnection(),
      call: (call) => this.answer(call),
    };
  }

  private async answer(call: ScriptHostCall): Promise<ScriptHostReply> {
    const { ctx, session } = this;
    const state = ctx.services.state;
    switch (call.op) {
      case 'evaluate': {
        const ff = call.attributes ? attributesOnly(call.attributes) : null;
        if (call.property !== undefined) return { value: ctx.property(call.property).evaluate(ff).raw ?? null };
        return { value: ctx.evaluateExpression(call.text ?? '', ff) };
      }
      case 'state.get':
        return { value: await state.get(call.scope) };
      case 'state.set':
        await state.set({ ...call.values }, call.scope);
        return {};
      case 'state.replace':
        return { value: await state.replace({ ...call.expected }, { ...call.values }, call.scope) };
      case 'state.clear':
        await state.clear(call.scope);
        return {};
      case 'session.get':
        return { value: session.getBatch(Math.max(0, Math.min(call.max, 100_000))).map((ff) => this.hold(ff)) };
      case 'session.peek': {
        const seen: FlowFile[] = [];
        const limit = Math.max(1, Math.min(call.limit, PEEK_LIMIT));
        session.getFiltered((ff) => (seen.push(ff) >= limit ? 'REJECT_AND_TERMINATE' : 'REJECT_AND_CONTINUE'));
        return { value: seen.map((ff) => ({ attributes: ff.attributes, size: ff.size, lineageStartDate: ff.lineageStartDate, entryDate: ff.entryDate })) };
      }
      case 'session.take': {
        const wanted = new Set(call.uuids);
        return { value: session.getFiltered((ff) => (wanted.has(ff.uuid) ? 'ACCEPT_AND_CONTINUE' : 'REJECT_AND_CONTINUE')).map((ff) => this.hold(ff)) };
      }
      case 'session.queueSize': {
        let bytes = 0;
        session.getFiltered((ff) => ((bytes += ff.size), 'REJECT_AND_CONTINUE'));
        return { value: { count: session.queueSize(), bytes } };
      }
      case 'content': {
        const ff = this.held[call.index];
        if (!ff) throw new Error(`no FlowFile #${call.index} was taken in this run`);
        let bytes = this.contents.get(call.index);
        if (!bytes) {
          bytes = await session.read(ff);
          this.contents.set(call.index, bytes);
        }
        return { bytes };
      }
      case 'create':
        return { value: this.materialize(call.key, call.parents, call.origin).uuid };
      default:
        throw new Error(`unknown host call '${(call as { op: string }).op}'`);
    }
  }

  private materialize(key: string, parents: readonly string[], origin: 'create' | 'clone'): FlowFile {
    const existing = this.created.get(key);
    if (existing) return existing;
    const sources = parents.map((p) => {
      const ff = this.current.get(p);
      if (!ff) throw new Error(`unknown parent FlowFile '${p}'`);
      return ff;
    });
    const ff = origin === 'clone' && sources.length === 1 ? this.session.clone(sources[0]!) : this.session.create(sources.length ? sources : undefined);
    this.created.set(key, ff);
    this.current.set(key, ff);
    return ff;
  }

  /** Routes every FlowFile the run holds to failure (the runner itself failed). */
  failAll(detail: string): void {
    for (const key of this.created.keys()) this.session.remove(this.current.get(key)!);
    for (let i = 0; i < this.held.length; i++) this.fail(this.current.get(`i${i}`)!, detail);
  }

  /** Applies a finished run's result to the real session. */
  apply(result: ScriptResult): void {
    const { ctx, session } = this;
    for (const line of result.logs) ctx.log[line.level](line.message);
    const unknown = result.outputs.find((o) => o.relationship !== null && !ROUTABLE.has(o.relationship));
    if (unknown) {
      this.failAll(`Script transferred a FlowFile to '${unknown.relationship}'; ExecuteScript has only success and failure`);
      return;
    }
    const keys = result.outputs.map((o, i) => o.key ?? (o.source !== null ? `i${o.source}` : `legacy${i}`));
    // Create first: a parent may be removed or transferred before its children in output order.
    result.outputs.forEach((o, i) => {
      if (o.source !== null) return;
      if (o.key !== undefined) this.materialize(o.key, o.parents ?? [], o.origin ?? 'create');
      else this.legacyCreate(keys[i]!);
    });
    const covered = new Set<string>();
    result.outputs.forEach((o, i) => {
      const key = keys[i]!;
      const ff = this.current.get(key);
      if (!ff) return;
      covered.add(key);
      this.route(key, ff, o);
    });
    this.settleUncovered(result, covered);
    // After settling: a rollback clears the session, and counters the script adjusted with immediate=true survive it.
    for (const [name, delta] of Object.entries(result.counters ?? {})) session.adjustCounter(name, delta);
    if (result.yielded) ctx.yield();
  }

  private legacyCreate(key: string): void {
    // Runtimes without keys (JavaScript) create children of the input they were given.
    const parent = this.current.get('i0');
    const ff = this.session.create(parent ?? undefined);
    this.created.set(key, ff);
    this.current.set(key, ff);
  }

  private route(key: string, start: FlowFile, o: ScriptOutput): void {
    const { session } = this;
    const rootCreate = o.source === null && o.origin !== 'clone' && !(o.parents ?? []).length;
    let ff = start;
    const removed = Object.keys(ff.attributes).filter(
      (k) => k !== 'uuid' && !(k in o.attributes) && !(rootCreate && (k === 'filename' || k === 'path')),
    );
    const changed: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.attributes)) if (k !== 'uuid' && ff.attributes[k] !== v) changed[k] = v;
    if (removed.length > 0) ff = session.removeAllAttributes(ff, removed);
    if (Object.keys(changed).length > 0) ff = session.putAllAttributes(ff, changed);
    if (o.written !== false && !this.sameContent(o, o.content)) ff = session.write(ff, o.content);
    if (o.penalized) ff = session.penalize(ff);
    for (const event of o.provenance ?? []) session.provenance(ff, event.type, event.uri, event.details ?? undefined);
    this.current.set(key, ff);
    if (o.relationship === null) session.remove(ff);
    else session.transfer(ff, o.relationship);
  }

  private sameContent(o: ScriptOutput, content: Uint8Array): boolean {
    if (o.source === null) return o.written === false;
    const before = this.contents.get(o.source);
    return before !== undefined && sameBytes(before, content);
  }

  private settleUncovered(result: ScriptResult, covered: Set<string>): void {
    const { session, ctx } = this;
    const returned = new Set(result.returned ?? []);
    const uncovered = this.held.map((_, i) => i).filter((i) => !covered.has(`i${i}`));
    const onlyRollback = result.outputs.length === 0 && !result.error && uncovered.every((i) => returned.has(i));
    if (uncovered.length > 0 && onlyRollback) {
      // The script rolled back everything it took: as in NiFi, the FlowFiles go back to their queues.
      session.rollback(result.penalizeReturned === true);
      if (!result.penalizeReturned) ctx.yield();
      return;
    }
    for (const [key, ff] of this.created) if (!covered.has(key)) session.remove(this.current.get(key) ?? ff);
    const error = result.error;
    for (const i of uncovered) {
      const ff = this.current.get(`i${i}`)!;
      if (returned.has(i)) {
        this.fail(ff, 'The script rolled this FlowFile back after committing others in the same run; a run is applied as a whole, so it goes to failure instead of back to its queue');
      } else if (error) {
        this.fail(ff, error.traceback ?? error.message, error.message);
      } else if (i === 0 && !result.taken.includes(0)) {
        // NiFi would leave it queued, which would run the script on it forever.
        this.fail(ff, 'The script did not take the FlowFile (session.get() was never called)');
      } else {
        this.fail(ff, 'The script neither transferred nor removed this FlowFile');
      }
    }
  }

  private fail(flowFile: FlowFile, detail: string, summary = detail): void {
    this.ctx.log.error(`ExecuteScript failed for ${flowFile.uuid}: ${summary}`);
    this.session.transfer(this.session.putAttribute(flowFile, SCRIPT_ERROR_ATTRIBUTE, detail), REL_FAILURE);
  }
}

/** What `context.getProperty` shows: descriptor properties as configured, dynamic ones flagged for EL. */
function scriptProperties(ctx: ProcessContext, names: readonly string[]): Record<string, ScriptProperty> {
  const out: Record<string, ScriptProperty> = {};
  for (const name of names) out[name] = { value: ctx.property(name).raw ?? null, expression: false, dynamic: false };
  const dynamic = ctx.dynamicProperties();
  for (const [name, raw] of Object.entries(dynamic)) {
    const expression = raw.includes('${');
    out[name] = { value: expression || !raw.includes('#{') ? raw : (ctx.property(name).evaluate(null).raw ?? raw), expression, dynamic: true };
  }
  return out;
}

/** A FlowFile that carries only the attributes a script evaluates an expression against. */
function attributesOnly(attributes: Readonly<Record<string, string>>): FlowFile {
  return { ...newFlowFile(attributes['uuid'] ?? '', 0), attributes };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
