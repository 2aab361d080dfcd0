import { Injectable } from '@nestjs/common';
import { type FieldError, type FlowDocument, FlowDocumentSchema, type FlowDto, type FlowSummaryDto } from '@sluice/contracts';
import { getProcessor } from '@sluice/processors';
import { randomUUID } from 'node:crypto';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { EngineService } from '../engine/engine.service.js';
import type { FlowEntity } from '../persistence/entities.js';
import { migrateFlowDocument } from './flow-migration.js';
import { validateFlow } from './flow-validator.js';
import { FlowsRepository } from './flows.repository.js';

export const MASK = '********';

@Injectable()
export class FlowsService {
  constructor(
    private readonly repo: FlowsRepository,
    private readonly engines: EngineService,
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
    const doc = this.check(this.migrate(parseInput(FlowDocumentSchema, input, 'flow document')));
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
    const doc = this.check(this.unmask(this.migrate(parseInput(FlowDocumentSchema, input, 'flow document')), previous));
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
  }

  /** Export masks secrets: a document that leaves the server never carries them. */
  async export(id: string): Promise<FlowDocument> {
    return this.mask(await this.document(id));
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
    const { blocking } = validateFlow(doc);
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

  private sensitive(type: string): Set<string> {
    return new Set((getProcessor(type)?.descriptor.properties ?? []).filter((p) => p.sensitive).map((p) => p.name));
  }

  private mask(doc: FlowDocument): FlowDocument {
    return {
      ...doc,
      processors: doc.processors.map((p) => {
        const secret = this.sensitive(p.type);
        return { ...p, properties: Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, secret.has(k) && v ? MASK : v])) };
      }),
    };
  }

  /** Property keys older NiFi (or Sluice) versions stored become today's names (each processor's migrateProperties). */
  private migrate(doc: FlowDocument): FlowDocument {
    return migrateFlowDocument(doc).doc;
  }

  private unmask(doc: FlowDocument, previous: FlowDocument): FlowDocument {
    const old = new Map(previous.processors.map((p) => [p.id, p]));
    return {
      ...doc,
      processors: doc.processors.map((p) => {
        const before = old.get(p.id);
        const props = { ...p.properties };
        for (const [k, v] of Object.entries(props)) {
          if (v !== MASK) continue;
          const kept = before?.type === p.type ? before.properties[k] : undefined;
          if (kept === undefined) delete props[k];
          else props[k] = kept;
        }
        return { ...p, properties: props };
      }),
    };
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
    return { ...this.summary(f, doc), document: this.mask(doc), validation: validateFlow(doc).issues };
  }
}
