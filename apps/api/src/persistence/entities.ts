import { Column, Entity, PrimaryColumn } from 'typeorm';

/** bigint columns come back as strings from Postgres; epoch millis fit a JS number. */
const epochMillis = { to: (v: number) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) };

@Entity('user')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 100, unique: true }) username: string;
  /** The username as compared: NFC, lower case; unique, so `Bob` and `bob` cannot both exist. */
  @Column({ name: 'username_key', type: 'varchar', length: 100 }) usernameKey: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255 }) passwordHash: string;
  @Column({ type: 'varchar', length: 16 }) role: 'admin' | 'editor' | 'viewer';
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis }) createdAt: number;
  /** Raised by a password or role change: tokens signed with an older version stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion: number;
}

/** A flow's API key for outbound callers; only a SHA-256 of the key is stored. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'flow_id', type: 'varchar', length: 36 }) flowId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** The key's first characters, so a user can tell keys apart. */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true }) keyHash: string;
  @Column({ name: 'created_by', type: 'varchar', length: 100, nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis }) createdAt: number;
  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMillis }) lastUsedAt: number | null;
}

@Entity('flow')
export class FlowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) document: string;
  @Column({ type: 'varchar', length: 16, default: 'stopped' }) state: 'running' | 'stopped';
  /** JSON array of the processors the user keeps running; null (flows from before): all of them while the flow runs. */
  @Column({ name: 'running_processors', type: 'text', nullable: true }) runningProcessors?: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis }) createdAt: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis }) updatedAt: number;
  @Column({ name: 'updated_by', type: 'varchar', length: 100, nullable: true }) updatedBy: string | null;
}

@Entity('processor_state')
export class ProcessorStateEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'varchar', length: 36 }) flowId: string;
  @PrimaryColumn({ name: 'processor_id', type: 'varchar', length: 64 }) processorId: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) scope: string;
  @Column({ type: 'text' }) state: string;
}

export const ENTITIES = [UserEntity, FlowEntity, ProcessorStateEntity, ApiKeyEntity];
