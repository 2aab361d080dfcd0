import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { FlowDocument } from '@sluice/contracts';
import { DataSource, type Repository } from 'typeorm';
import { FlowEntity } from '../persistence/entities.js';
import { SecretBox } from '../secrets/secret-box.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { migrateFlowDocument } from './flow-migration.js';
import { hasPlainSecrets, openDocument, sealDocument } from './flow-secrets.js';

/** A stored flow as it loads: documents saved under older property names read back under today's. */
function loaded(flow: FlowEntity): FlowEntity {
  let parsed: FlowDocument;
  try {
    parsed = JSON.parse(flow.document) as FlowDocument;
    if (!Array.isArray(parsed?.processors)) return flow;
  } catch {
    // Whoever reads it reports the unreadable flow; one must not keep the others from loading.
    return flow;
  }
  const { doc, changed } = migrateFlowDocument(parsed);
  return changed ? { ...flow, document: JSON.stringify(doc) } : flow;
}

/** A stored flow with its document parsed (migrated to today's property names, secrets opened). */
export interface StoredFlow extends FlowEntity {
  readonly doc: FlowDocument;
}

/**
 * Flow rows. Sensitive parameters and properties are sealed in the stored document and opened on the way out, so
 * callers see plaintext documents and the database never holds a secret in the clear.
 */
@Injectable()
export class FlowsRepository implements OnModuleInit {
  private readonly repo: Repository<FlowEntity>;
  private readonly log = new Logger('Flows');

  constructor(
    ds: DataSource,
    private readonly box: SecretBox,
    private readonly secrets: SecretRegistry,
  ) {
    this.repo = ds.getRepository(FlowEntity);
  }

  /** Documents saved before secrets were sealed get their sensitive values sealed now. */
  async onModuleInit(): Promise<void> {
    for (const f of await this.repo.find()) {
      const doc = JSON.parse(loaded(f).document) as FlowDocument;
      if (hasPlainSecrets(doc)) await this.repo.update({ id: f.id }, { document: JSON.stringify(sealDocument(doc, this.box)) });
    }
  }

  async findAll(): Promise<StoredFlow[]> {
    return (await this.repo.find({ order: { name: 'ASC' } })).map((f) => this.opened(f));
  }

  async findById(id: string): Promise<StoredFlow | null> {
    const f = await this.repo.findOneBy({ id });
    return f && this.opened(f);
  }

  async insert(flow: FlowEntity): Promise<FlowEntity> {
    await this.repo.save(this.repo.create({ ...flow, document: this.sealed(flow.document) }));
    return flow;
  }

  /** Optimistic concurrency: writes only when the stored version is still `expectedVersion`. */
  async updateIfVersion(flow: FlowEntity, expectedVersion: number): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(FlowEntity)
      .set({ name: flow.name, description: flow.description, document: this.sealed(flow.document), version: flow.version, updatedAt: flow.updatedAt, updatedBy: flow.updatedBy })
      .where('id = :id AND version = :v', { id: flow.id, v: expectedVersion })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  async setState(id: string, state: 'running' | 'stopped'): Promise<void> {
    await this.repo.update({ id }, { state });
  }

  /** The processors the user keeps running, and the flow's own state when it changes too (start, stop). */
  async setRunState(id: string, running: readonly string[], state?: 'running' | 'stopped'): Promise<void> {
    await this.repo.update({ id }, { runningProcessors: JSON.stringify(running), ...(state ? { state } : {}) });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  private sealed(document: string): string {
    return JSON.stringify(sealDocument(JSON.parse(document) as FlowDocument, this.box));
  }

  private opened(stored: FlowEntity): StoredFlow {
    const f = loaded(stored);
    const doc = openDocument(JSON.parse(f.document) as FlowDocument, this.box, (s) => this.secrets.add(s), (e) => this.log.error(`flow '${f.name}' (${f.id}): ${e.message}`));
    // `document` stays for callers that still parse it; `doc` is the same document, parsed once here.
    return { ...f, document: JSON.stringify(doc), doc };
  }
}
