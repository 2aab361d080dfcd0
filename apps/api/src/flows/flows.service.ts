import { Inject, Injectable } from '@nestjs/common';
import { flowLimitErrors, type FlowDocument, type FlowDto, type FlowImportDto, type FlowSummaryDto, type ProcessorValidationDto } from '@sluice/contracts';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { BadInputError, ConflictError, DomainError, NotFoundError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { EngineService } from '../engine/engine.service.js';
import { SCRIPT_CHECKS } from '../scripting/scripting.module.js';
import { parseFlowDocumentInSlices } from './flow-document-input.js';
import type { ScriptChecks } from '../scripting/script-checks.js';
import { queryIssues } from '../engine/query-checks.js';
import { BulletinsService } from '../bulletins/bulletins.service.js';
import { migrateFlowDocument } from './flow-migration.js';
import { maskDocument, maskPinned, sensitiveReferenceErrors, stripDocument, unmaskDocument } from './flow-secrets.js';
import { yieldToLoop } from '../common/slices.js';
import { describeIssue, validateFlowInSlices, type FlowValidation } from './flow-validator.js';
import { FlowsRepository, type FlowRow, type StoredFlow } from './flows.repository.js';
import { isNifiFlowDefinition, NifiFlowDefinitionSchema } from './nifi/nifi-definition.js';
import { exportNifiFlow, nonNifiComponents } from './nifi/nifi-export.js';
import { importNifiFlow } from './nifi/nifi-import.js';

@Injectable()
export class FlowsService {
  constructor(
    private readonly repo: FlowsRepository,
    private readonly engines: EngineService,
    private readonly apiKeys: ApiKeysService,
    private readonly bulletins: BulletinsService,
    @Inject(SCRIPT_CHECKS) private readonly scripts: ScriptChecks,
  ) {}

  async list(): Promise<FlowSummaryDto[]> {
    return (await this.repo.findAll()).map((f) => this.summary(f, f.doc));
  }

  async get(id: string): Promise<FlowDto> {
    const f = await this.entity(id);
    return this.toDto(f, f.doc);
  }

  /** The flow's run state; 404 when there is no such flow. Reads no document. */
  async state(id: string): Promise<'running' | 'stopped'> {
    const state = await this.repo.stateOf(id);
    if (state === null) throw new NotFoundError('flow', id);
    return state;
  }

  /** The stored document with secrets; never leaves the server. */
  async document(id: string): Promise<FlowDocument> {
    return (await this.entity(id)).doc;
  }

  async create(input: unknown, user: string): Promise<FlowDto> {
    const { doc, validation } = await this.checked(input, null);
    await this.checkChain(null, doc);
    const now = Date.now();
    const row: FlowRow = { id: randomUUID(), name: doc.name, description: doc.description, version: 1, state: 'stopped', createdAt: now, updatedAt: now, updatedBy: user };
    await this.repo.insert(row, doc);
    await this.engines.load(row.id, doc);
    return this.toDto(row, doc, validation);
  }

  /**
   * Saves a new version, problems and all (a draft, as in NiFi: it does not start until they are fixed); only a
   * document that is itself broken is refused. 409 when someone saved since `version`. Masked secrets keep their
   * stored value. Run state is the user's: the processors kept running stay running, the others stopped.
   */
  async update(id: string, version: unknown, input: unknown, user: string): Promise<FlowDto> {
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      throw new BadInputError('version is required: the version you edited, from GET /api/flows/:id', [{ field: 'version', message: 'an integer is required' }]);
    }
    const entity = await this.entity(id);
    if (entity.version !== version) throw this.conflict(entity);
    const previous = entity.doc;
    const { doc, validation } = await this.checked(input, previous);
    await this.checkChain(id, doc);
    this.guardQueuedConnections(id, previous, doc);
    const next: FlowRow = {
      id,
      name: doc.name,
      description: doc.description,
      version: version + 1,
      state: entity.state,
      runningProcessors: entity.runningProcessors,
      createdAt: entity.createdAt,
      updatedAt: Date.now(),
      updatedBy: user,
    };
    if (!(await this.repo.updateIfVersion(next, doc, version))) throw this.conflict((await this.repo.findById(id)) ?? entity);
    const applied = await this.engines.apply(id, previous, doc, next.version);
    return { ...(await this.toDto(next, doc, validation)), applied };
  }

  /**
   * A new flow from Sluice's own export or from a NiFi flow definition (see nifi/): the answer lists what of the
   * NiFi flow could not be carried over.
   */
  async import(input: unknown, user: string): Promise<FlowImportDto> {
    if (!isNifiFlowDefinition(input)) return { ...(await this.create(input, user)), format: 'sluice', report: [] };
    const { document, report } = importNifiFlow(parseInput(NifiFlowDefinitionSchema, input, 'NiFi flow definition'));
    return { ...(await this.create(document, user)), format: 'nifi', report };
  }

  async rename(id: string, name: unknown, user: string): Promise<FlowDto> {
    if (typeof name !== 'string' || !name.trim()) throw new BadInputError('name is required', [{ field: 'name', message: 'a non-empty string is required' }]);
    const entity = await this.entity(id);
    const doc = entity.doc;
    return this.update(id, entity.version, { ...doc, name: name.trim() }, user);
  }

  async duplicate(id: string, user: string): Promise<FlowDto> {
    const doc = await this.document(id);
    return this.create({ ...doc, name: `${doc.name} (copy)` }, user);
  }

  async delete(id: string): Promise<void> {
    await this.entity(id);
    await this.engines.unload(id);
    await this.repo.delete(id);
    await this.apiKeys.deleteForFlow(id);
    await this.bulletins.deleteFlow(id);
  }

  /** An export carries no secret: sensitive values are empty, to be filled in where it is imported. */
  async export(id: string): Promise<FlowDocument> {
    return stripDocument(await this.document(id));
  }

  /** The flow as a NiFi flow definition; refused, listing them, when it has components NiFi does not have. */
  async exportNifi(id: string): Promise<Record<string, unknown>> {
    const doc = stripDocument(await this.document(id));
    const foreign = nonNifiComponents(doc);
    if (foreign.length) {
      throw new DomainError(
        `the flow cannot be exported as a NiFi flow definition: NiFi has no ${foreign.map((c) => `${c.type} ('${c.name}')`).join(', ')}`,
        409,
        foreign.map((c) => ({ field: c.id, message: `${c.type} '${c.name}' is not a NiFi component` })),
        { components: foreign },
      );
    }
    return exportNifiFlow(doc, id);
  }

  /** Every problem of the stored flow (script syntax included), once each; `known`: its graph check, done already. */
  async validation(doc: FlowDocument, known?: FlowValidation): Promise<ProcessorValidationDto[]> {
    const graph = known ?? (await validateFlowInSlices(doc));
    return [...graph.issues, ...(await this.scripts.issues(doc)), ...(await queryIssues(doc))];
  }

  /** Start is refused, with every reason, while the flow has problems: what runs is what is saved. */
  async assertStartable(id: string): Promise<void> {
    const doc = await this.document(id);
    this.refuseStart(doc, await this.validation(doc), 'the flow');
  }

  /** A processor starts alone only when it has no problem of its own. */
  async assertProcessorStartable(id: string, processorId: string, action: 'start' | 'run' = 'start'): Promise<void> {
    const doc = await this.document(id);
    const p = doc.processors.find((x) => x.id === processorId);
    if (!p) return;
    this.refuseStart(doc, (await this.validation(doc)).filter((i) => i.processorId === processorId), `'${p.name}'`, action);
  }

  private refuseStart(doc: FlowDocument, issues: ProcessorValidationDto[], what: string, action: 'start' | 'run' = 'start'): void {
    if (issues.length === 0) return;
    const described = issues.map((i) => describeIssue(doc, i));
    throw new BadInputError(
      `${what} cannot ${action}: ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${described.join('; ')}`,
      issues.map((i, n) => ({ field: i.field ?? (i.property ? `properties.${i.property}` : i.connectionId ? `connections.${i.connectionId}` : 'processor'), message: described[n]!, ...(i.processorId ? { processorId: i.processorId } : {}), ...(i.line !== undefined ? { line: i.line, column: i.column } : {}) })),
    );
  }

  /**
   * The posted document parsed, migrated, its masked secrets filled from `previous`, and checked: one that is itself
   * broken, or that would show a secret, is not stored. Each stage hands the event loop back before the next, and
   * the graph check runs in slices, so a document near FLOW_LIMITS never holds the loop for long.
   */
  private async checked(input: unknown, previous: FlowDocument | null): Promise<{ doc: FlowDocument; validation: FlowValidation }> {
    const parsed = await parseFlowDocumentInSlices(withinLimits(input));
    await yieldToLoop();
    const doc = unmaskDocument(this.migrate(parsed), previous);
    await yieldToLoop();
    const validation = await validateFlowInSlices(doc);
    const refused = [...validation.structure, ...sensitiveReferenceErrors(doc)];
    if (refused.length) throw new BadInputError(`invalid flow document: ${refused.map((e) => e.message).join('; ')}`, refused);
    await yieldToLoop();
    return { doc: maskPinned(doc), validation };
  }

  /** NiFi refuses to delete a connection or processor that holds FlowFiles: the designer asks to empty it first. */
  private guardQueuedConnections(id: string, previous: FlowDocument, next: FlowDocument): void {
    const counts = this.engines.queuedCounts(id);
    const kept = new Set(next.processors.map((p) => p.id));
    for (const p of previous.processors) {
      const n = counts.get(`ingress:${p.id}`) ?? 0;
      if (n > 0 && !kept.has(p.id)) {
        throw new BadInputError(`processor '${p.name}' still has ${n} FlowFile(s) waiting for it; empty its queue before deleting it`, [
          { field: `processors.${p.id}`, message: `holds ${n} queued FlowFile(s)`, processorId: p.id },
        ]);
      }
    }
    const connections = new Map(next.connections.map((c) => [c.id, c]));
    for (const old of previous.connections) {
      const n = counts.get(old.id) ?? 0;
      if (n === 0) continue;
      const now = connections.get(old.id);
      if (!now || now.targetId !== old.targetId) {
        throw new BadInputError(`connection '${old.name ?? old.id}' still holds ${n} FlowFile(s); empty its queue before removing or re-targeting it`, [
          { field: `connections.${old.id}`, message: `holds ${n} queued FlowFile(s)` },
        ]);
      }
    }
  }

  /** Property keys older NiFi (or Sluice) versions stored become today's names (each processor's migrateProperties). */
  private migrate(doc: FlowDocument): FlowDocument {
    return migrateFlowDocument(doc).doc;
  }

  /** A flow chained to itself, directly or through others, would run forever: refused with the cycle named. */
  private async checkChain(id: string | null, doc: FlowDocument): Promise<void> {
    const names = [doc.name];
    const seen = new Set<string>();
    let next = doc.integration?.triggeredBy;
    while (next) {
      if (next === id) {
        const cycle =
          names.length === 1
            ? `'${doc.name}' would be triggered by itself`
            : `'${doc.name}' would be triggered by ${names.slice(1).map((n) => `'${n}'`).join(', which is triggered by ')}, which is triggered by '${doc.name}'`;
        throw new BadInputError(`chained flows cannot form a cycle: ${cycle}`, [{ field: 'integration.triggeredBy', message: `forms a cycle: ${[...names, doc.name].join(' ← ')}` }]);
      }
      if (seen.has(next)) return;
      seen.add(next);
      const f = await this.repo.findById(next);
      if (!f) return;
      names.push(f.name);
      next = f.doc.integration?.triggeredBy;
    }
  }

  private conflict(current: FlowRow): ConflictError {
    return new ConflictError(`the flow was changed by ${current.updatedBy ?? 'someone else'} (now version ${current.version}); reload it and apply your change again`);
  }

  private async entity(id: string): Promise<StoredFlow> {
    const e = await this.repo.findById(id);
    if (!e) throw new NotFoundError('flow', id);
    return e;
  }

  private summary(f: FlowRow, doc: FlowDocument): FlowSummaryDto {
    return {
      id: f.id,
      name: f.name,
      description: f.description,
      version: f.version,
      state: f.state,
      kind: doc.integration?.kind,
      direction: doc.integration?.direction,
      updatedAt: new Date(f.updatedAt).toISOString(),
    };
  }

  private async toDto(f: FlowRow, doc: FlowDocument, known?: FlowValidation): Promise<FlowDto> {
    const validation = await this.validation(doc, known);
    await yieldToLoop();
    const document = maskDocument(doc);
    // The answer's JSON text is written after this turn: masking and writing a large document are two steps.
    await yieldToLoop();
    return { ...this.summary(f, doc), document, validation };
  }
}

/** A document over FLOW_LIMITS is refused before its components are parsed. */
function withinLimits(input: unknown): unknown {
  const over = flowLimitErrors(input);
  if (over.length) throw new BadInputError(`flow document too large: ${over.map((e) => e.message).join('; ')}`, over);
  return input;
}
