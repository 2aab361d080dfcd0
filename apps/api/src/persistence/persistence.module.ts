import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { SecretBox } from '../secrets/secret-box.js';
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
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.secretKey) },
        {
          provide: SqlFlowFileRepository,
          inject: [DataSource, SecretBox],
          useFactory: async (ds: DataSource, box: SecretBox) => {
            const repo = new SqlFlowFileRepository(ds, box);
            await repo.init();
            return repo;
          },
        },
        FlowsRepository,
      ],
      exports: [APP_CONFIG, SecretBox, SqlFlowFileRepository, FlowsRepository],
    };
  }
}
