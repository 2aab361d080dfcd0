import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { FlowDocument } from '@sluice/contracts';
import { DataSource, type Repository } from 'typeorm';
import { FlowEntity } from '../persistence/entities.js';
import { jsonInSlices } from '../common/json-in-slices.js';
import { yieldToLoop } from '../common/slices.js';
import { SecretBox } from '../secrets/secret-box.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { migrateFlowDocument } from './flow-migration.js';
import { hasPlainSecrets, openDocument, sealDocument } from './flow-secrets.js';

/** A stored document parsed, or null when the text is not one. */
function parseStored(text: string): FlowDocument | null {
  try {
    const parsed = JSON.parse(text) as FlowDocument;
    return Array.isArray(parsed?.processors) ? parsed : null;
  } catch {
    // Whoever reads it reports the unreadable flow; one must not keep the others from loading.
    return null;
  }
}

/** Documents saved under older property names read back under today's; `doc` stays null for an unreadable one. */
function migrated(flow: FlowEntity, parsed: FlowDocument | null): { flow: FlowEntity; doc: FlowDocument | null } {
  if (parsed === null) return { flow, doc: null };
  const { doc, changed } = migrateFlowDocument(parsed);
  return { flow: changed ? { ...flow, document: JSON.stringify(doc) } : flow, doc };
}

function loaded(flow: FlowEntity): { flow: FlowEntity; doc: FlowDocument | null } {
  return migrated(flow, parseStored(flow.document));
}

/** A flow's row without its document. */
export type FlowRow = Omit<FlowEntity, 'document'>;

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
      const doc = JSON.parse(loaded(f).flow.document) as FlowDocument;
      if (hasPlainSecrets(doc)) await this.repo.update({ id: f.id }, { document: JSON.stringify(sealDocument(doc, this.box)) });
    }
  }

  async findAll(): Promise<StoredFlow[]> {
    const out: StoredFlow[] = [];
    for (const f of await this.repo.find({ order: { name: 'ASC' } })) out.push(await this.opened(f));
    return out;
  }

  async findById(id: string): Promise<StoredFlow | null> {
    const f = await this.repo.findOneBy({ id });
    return f && this.opened(f);
  }

  /** Stores a new flow; `doc` is sealed and serialized once, here. */
  async insert(flow: FlowRow, doc: FlowDocument): Promise<void> {
    const document = await this.sealed(doc);
    await this.repo.insert({ ...flow, document });
  }

  /** Optimistic concurrency: writes only when the stored version is still `expectedVersion`. */
  async updateIfVersion(flow: FlowRow, doc: FlowDocument, expectedVersion: number): Promise<boolean> {
    const document = await this.sealed(doc);
    const res = await this.repo
      .createQueryBuilder()
      .update(FlowEntity)
      .set({ name: flow.name, description: flow.description, document, version: flow.version, updatedAt: flow.updatedAt, updatedBy: flow.updatedBy })
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

  /** The run state alone, without reading the document; null when there is no such flow. */
  async stateOf(id: string): Promise<FlowEntity['state'] | null> {
    const f = await this.repo.findOne({ where: { id }, select: { id: true, state: true } });
    return f?.state ?? null;
  }

  /** A large document's sealing and its text are each a long step: the event loop turns between them. */
  private async sealed(doc: FlowDocument): Promise<string> {
    const sealed = sealDocument(doc, this.box);
    await yieldToLoop();
    return jsonInSlices(sealed);
  }

  private async opened(stored: FlowEntity): Promise<StoredFlow> {
    // The query answers without a turn of the loop (the SQLite driver is synchronous): parsing a large document
    // must not join whatever work its caller's neighbours do in the same turn.
    await yieldToLoop();
    const read = parseStored(stored.document);
    // Parsing a document at FLOW_LIMITS is one long step, migrating it another.
    await yieldToLoop();
    const { flow: f, doc: parsed } = migrated(stored, read);
    await yieldToLoop();
    const doc = openDocument(parsed ?? (JSON.parse(f.document) as FlowDocument), this.box, (s) => this.secrets.add(s), (e) => this.log.error(`flow '${f.name}' (${f.id}): ${e.message}`));
    // `doc` is the document parsed once here; `document`, its text with secrets opened, is written only for the
    // callers that still read it (a large flow's text costs tens of milliseconds).
    let text: string | undefined;
    return Object.defineProperty({ ...f, doc }, 'document', { enumerable: true, get: () => (text ??= JSON.stringify(doc)) }) as StoredFlow;
  }
}
