import { Injectable } from '@nestjs/common';
import { type FieldError, type FlowDocument, FlowDocumentSchema, type FlowDto, type FlowSummaryDto } from '@sluice/contracts';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { EngineService } from '../engine/engine.service.js';
import type { FlowEntity } from '../persistence/entities.js';
import { migrateFlowDocument } from './flow-migration.js';
import { maskDocument, sensitiveReferenceErrors, stripDocument, unmaskDocument } from './flow-secrets.js';
import { validateFlow } from './flow-validator.js';
import { FlowsRepository } from './flows.repository.js';

export { MASK } from './flow-secrets.js';

@Injectable()
export class FlowsService {
  constructor(
    private readonly repo: FlowsRepository,
    private readonly engines: EngineService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async list(): Promise<FlowSummaryDto[]> {
    return (await this.repo.findAll()).map((f) => this.summary(f, JSON.parse(f.document) as FlowDocument));
  }

  async get(id: string): Promise<FlowDto> {
    return this.toDto(await this.entity(id));
  }

  /** The stored document with secrets; never leaves the server. */
  async document(id: string): Promise<FlowDocument> {
    return JSON.parse((await this.entity(id)).document) as FlowDocument;
  }

  async create(input: unknown, user: string): Promise<FlowDto> {
    const doc = this.check(unmaskDocument(this.migrate(parseInput(FlowDocumentSchema, input, 'flow document')), null));
    await this.checkChain(null, doc);
    const now = Date.now();
    const entity: FlowEntity = {
      id: randomUUID(),
      name: doc.name,
      description: doc.description,
      version: 1,
      document: JSON.stringify(doc),
      state: 'stopped',
      createdAt: now,
      updatedAt: now,
      updatedBy: user,
    };
    await this.repo.insert(entity);
    await this.engines.load(entity.id, doc);
    return this.toDto(entity);
  }

  /** Saves a new version; 409 when someone saved since `version`. Masked secrets keep their stored value. */
  async update(id: string, version: unknown, input: unknown, user: string): Promise<FlowDto> {
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      throw new BadInputError('version is required: the version you edited, from GET /api/flows/:id', [{ field: 'version', message: 'an integer is required' }]);
    }
    const entity = await this.entity(id);
    if (entity.version !== version) throw this.conflict(entity);
    const previous = JSON.parse(entity.document) as FlowDocument;
    const doc = this.check(unmaskDocument(this.migrate(parseInput(FlowDocumentSchema, input, 'flow document')), previous));
    await this.checkChain(id, doc);
    this.guardQueuedConnections(id, previous, doc);
    const next: FlowEntity = { ...entity, name: doc.name, description: doc.description, document: JSON.stringify(doc), version: version + 1, updatedAt: Date.now(), updatedBy: user };
    if (!(await this.repo.updateIfVersion(next, version))) throw this.conflict((await this.repo.findById(id)) ?? entity);
    await this.engines.load(id, doc);
    return this.toDto(next);
  }

  async rename(id: string, name: unknown, user: string): Promise<FlowDto> {
    if (typeof name !== 'string' || !name.trim()) throw new BadInputError('name is required', [{ field: 'name', message: 'a non-empty string is required' }]);
    const entity = await this.entity(id);
    const doc = JSON.parse(entity.document) as FlowDocument;
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
  }

  /** An export carries no secret: sensitive values are empty, to be filled in where it is imported. */
  async export(id: string): Promise<FlowDocument> {
    return stripDocument(await this.document(id));
  }

  async assertStartable(id: string): Promise<void> {
    const doc = await this.document(id);
    const { issues } = validateFlow(doc);
    if (issues.length) {
      const errors = issues.map<FieldError>((i) => ({ field: i.property ?? '(processor)', message: i.message, processorId: i.processorId }));
      throw new BadInputError(`the flow cannot start: ${issues.length} problem(s): ${issues.slice(0, 5).map((i) => `${this.processorName(doc, i.processorId)}: ${i.message}`).join('; ')}`, errors);
    }
  }

  private processorName(doc: FlowDocument, id: string): string {
    return doc.processors.find((p) => p.id === id)?.name ?? (id || 'flow');
  }

  private check(doc: FlowDocument): FlowDocument {
    const blocking = [...validateFlow(doc).blocking, ...sensitiveReferenceErrors(doc)];
    if (blocking.length) throw new BadInputError(`invalid flow document: ${blocking.map((e) => e.message).join('; ')}`, blocking);
    return doc;
  }

  private guardQueuedConnections(id: string, previous: FlowDocument, next: FlowDocument): void {
    const counts = this.engines.queuedCounts(id);
    const kept = new Map(next.connections.map((c) => [c.id, c]));
    for (const old of previous.connections) {
      const n = counts.get(old.id) ?? 0;
      if (n === 0) continue;
      const now = kept.get(old.id);
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
      next = (JSON.parse(f.document) as FlowDocument).integration?.triggeredBy;
    }
  }

  private conflict(current: FlowEntity): ConflictError {
    return new ConflictError(`the flow was changed by ${current.updatedBy ?? 'someone else'} (now version ${current.version}); reload it and apply your change again`);
  }

  private async entity(id: string): Promise<FlowEntity> {
    const e = await this.repo.findById(id);
    if (!e) throw new NotFoundError('flow', id);
    return e;
  }

  private summary(f: FlowEntity, doc: FlowDocument): FlowSummaryDto {
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

  private toDto(f: FlowEntity): FlowDto {
    const doc = JSON.parse(f.document) as FlowDocument;
    return { ...this.summary(f, doc), document: maskDocument(doc), validation: validateFlow(doc).issues };
  }
}
