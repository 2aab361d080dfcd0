import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClusterMembership } from '../cluster/cluster-membership.js';
import { WorkQueue } from '../cluster/work-queue.js';
import type { AppConfig } from '../config/app-config.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { SecretBox } from '../secrets/secret-box.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { credentialAttributeCipher } from '../secrets/attribute-cipher.js';
import { dataSourceOptions, serializeTransactions } from './data-source.js';
import { SqlFlowFileRepository } from './sql-flowfile.repository.js';

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // checkDatabase already proved the database reachable; a failure now is not worth ten retries.
          useFactory: () => ({ ...dataSourceOptions(config), retryAttempts: 1 }),
          dataSourceFactory: async (options) => serializeTransactions(await new DataSource(options!).initialize()),
        }),
      ],
      providers: [
        {
          provide: SqlFlowFileRepository,
          inject: [DataSource, SecretBox, SecretRegistry],
          useFactory: async (ds: DataSource, box: SecretBox, registry: SecretRegistry) => {
            const repo = new SqlFlowFileRepository(ds, credentialAttributeCipher(box, registry), config.cluster.enabled ? config.cluster.nodeId : null);
            await repo.init();
            return repo;
          },
        },
        FlowsRepository,
        { provide: ClusterMembership, inject: [DataSource], useFactory: (ds: DataSource) => new ClusterMembership(config, ds) },
        { provide: WorkQueue, useValue: new WorkQueue(config) },
      ],
      exports: [ClusterMembership, WorkQueue, SqlFlowFileRepository, FlowsRepository],
    };
  }
}
