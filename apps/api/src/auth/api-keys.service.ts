import { Injectable } from '@nestjs/common';
import type { ApiKeyDto, CreatedApiKeyDto } from '@sluice/contracts';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { ConflictError, NotFoundError, UnauthorizedError } from '../common/errors.js';
import { ApiKeyEntity } from '../persistence/entities.js';
import type { AuthUser } from './roles.js';

/** Every key starts with this, so the guard can tell a key from a session token. */
export const API_KEY_PREFIX = 'slk_';
const MAX_KEYS_PER_FLOW = 20;
/** lastUsedAt is a hint, not an audit log: one write per key and minute at most. */
const TOUCH_MS = 60_000;

const toDto = (k: ApiKeyEntity): ApiKeyDto => ({
  id: k.id,
  flowId: k.flowId,
  name: k.name,
  prefix: k.prefix,
  createdBy: k.createdBy,
  createdAt: new Date(k.createdAt).toISOString(),
  lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
});

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Per-flow API keys for outbound callers (the ERP posting batches). A key authenticates only its flow's outbound
 * route; only its SHA-256 is stored (keys are 256 random bits, so no slow hash is needed).
 */
@Injectable()
export class ApiKeysService {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(ds: DataSource) {
    this.keys = ds.getRepository(ApiKeyEntity);
  }

  async list(flowId: string): Promise<ApiKeyDto[]> {
    return (await this.keys.find({ where: { flowId }, order: { createdAt: 'ASC' } })).map(toDto);
  }

  /** Every flow's keys, for the API keys screen. */
  async listAll(): Promise<ApiKeyDto[]> {
    return (await this.keys.find({ order: { flowId: 'ASC', createdAt: 'ASC' } })).map(toDto);
  }

  async create(flowId: string, name: string, createdBy: string): Promise<CreatedApiKeyDto> {
    if ((await this.keys.countBy({ flowId })) >= MAX_KEYS_PER_FLOW) {
      throw new ConflictError(`flow already has ${MAX_KEYS_PER_FLOW} API keys; revoke one first`);
    }
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const entity = this.keys.create({ id: randomUUID(), flowId, name, prefix: key.slice(0, 12), keyHash: hash(key), createdBy, createdAt: Date.now(), lastUsedAt: null });
    await this.keys.save(entity);
    return { ...toDto(entity), key };
  }

  async revoke(flowId: string, keyId: string): Promise<void> {
    const res = await this.keys.delete({ id: keyId, flowId });
    if (!res.affected) throw new NotFoundError('API key', keyId);
  }

  async deleteForFlow(flowId: string): Promise<void> {
    await this.keys.delete({ flowId });
  }

  /** The caller behind a key of `flowId`; 401 for an unknown or revoked key, or one of another flow. */
  async verify(key: string, flowId: string | undefined): Promise<AuthUser> {
    const found = key.startsWith(API_KEY_PREFIX) ? await this.keys.findOneBy({ keyHash: hash(key) }) : null;
    if (!found || found.flowId !== flowId) throw new UnauthorizedError('invalid API key for this flow (unknown, revoked, or of another flow)');
    const now = Date.now();
    if (found.lastUsedAt === null || now - found.lastUsedAt > TOUCH_MS) await this.keys.update({ id: found.id }, { lastUsedAt: now });
    // Outbound posting needs the editor role; the key can do nothing else (the guard allows it on its route only).
    return { id: `api-key:${found.id}`, username: `api key '${found.name}'`, role: 'editor' };
  }
}
