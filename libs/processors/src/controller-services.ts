import type { ControllerServiceDefinition, ControllerServiceDescriptor } from '@sluice/flow-api';
import { CSVReader } from './record-services/csv-reader.service.js';
import { CSVRecordSetWriter } from './record-services/csv-record-set-writer.service.js';
import { StandardHttpContextMap } from './http-shared/http-context-map.service.js';
import { StandardOauth2AccessTokenProvider } from './http-shared/oauth2-access-token-provider.service.js';
import { StandardRestrictedSSLContextService, StandardSSLContextService } from './http-shared/ssl-context.service.js';
import { DistributedMapCacheClientService, MapCacheClientService } from './map-cache/map-cache-client.service.js';
import { JsonRecordSetWriter } from './record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from './record-services/json-tree-reader.service.js';
import { XMLReader } from './record-services/xml-reader.service.js';
import { XMLRecordSetWriter } from './record-services/xml-record-set-writer.service.js';

/** Every controller service type Sluice ships, keyed by its NiFi class name; sorted by type. */
export const controllerServiceCatalogue: readonly ControllerServiceDefinition[] = [
  CSVReader,
  CSVRecordSetWriter,
  DistributedMapCacheClientService,
  JsonRecordSetWriter,
  JsonTreeReader,
  MapCacheClientService,
  StandardHttpContextMap,
  StandardOauth2AccessTokenProvider,
  StandardRestrictedSSLContextService,
  StandardSSLContextService,
  XMLReader,
  XMLRecordSetWriter,
];

const byType = new Map(controllerServiceCatalogue.map((s) => [s.descriptor.type, s]));

export function getControllerService(type: string): ControllerServiceDefinition | undefined {
  return byType.get(type);
}

export function controllerServiceDescriptors(): ControllerServiceDescriptor[] {
  return controllerServiceCatalogue.map((s) => s.descriptor);
}
