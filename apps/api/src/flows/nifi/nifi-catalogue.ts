import type { PropertyConfiguration } from '@sluice/flow-api';

/**
 * Which NiFi class is which Sluice type, and the NAR bundle an export names. Types are listed whether or not this
 * server has them: a type maps only when `getProcessor` / `getControllerService` knows its Sluice name.
 */
export interface NifiClass {
  readonly sluice: string;
  /** NiFi 2's class name (what an export writes). */
  readonly className: string;
  readonly artifact: string;
  /** Older class names NiFi 1.x wrote for the same processor. */
  readonly aliases?: readonly string[];
}

const STANDARD = 'nifi-standard-nar';
const std = (sluice: string): NifiClass => ({ sluice, className: `org.apache.nifi.processors.standard.${sluice}`, artifact: STANDARD });

export const NIFI_PROCESSORS: readonly NifiClass[] = [
  ...[
    'AttributesToJSON', 'CompressContent', 'ControlRate', 'ConvertRecord', 'DetectDuplicate', 'EvaluateJsonPath', 'ExtractText',
    'GenerateFlowFile', 'HandleHttpRequest', 'HandleHttpResponse', 'InvokeHTTP', 'ListenHTTP', 'LogAttribute', 'MergeContent',
    'MergeRecord', 'Notify', 'QueryRecord', 'ReplaceText', 'RetryFlowFile', 'RouteOnAttribute', 'RouteOnContent', 'RouteText',
    'SplitJson', 'SplitRecord', 'SplitText', 'UpdateRecord', 'Wait',
  ].map(std),
  { sluice: 'UpdateAttribute', className: 'org.apache.nifi.processors.attributes.UpdateAttribute', artifact: 'nifi-update-attribute-nar' },
  { sluice: 'JoltTransformJSON', className: 'org.apache.nifi.processors.jolt.JoltTransformJSON', artifact: 'nifi-jolt-nar', aliases: ['org.apache.nifi.processors.standard.JoltTransformJSON'] },
  { sluice: 'ExecuteScript', className: 'org.apache.nifi.processors.script.ExecuteScript', artifact: 'nifi-scripting-nar' },
];

const RECORD_SERVICES = 'nifi-record-serialization-services-nar';

export const NIFI_SERVICES: readonly NifiClass[] = [
  { sluice: 'CSVReader', className: 'org.apache.nifi.csv.CSVReader', artifact: RECORD_SERVICES },
  { sluice: 'CSVRecordSetWriter', className: 'org.apache.nifi.csv.CSVRecordSetWriter', artifact: RECORD_SERVICES },
  { sluice: 'JsonTreeReader', className: 'org.apache.nifi.json.JsonTreeReader', artifact: RECORD_SERVICES },
  { sluice: 'JsonRecordSetWriter', className: 'org.apache.nifi.json.JsonRecordSetWriter', artifact: RECORD_SERVICES },
  { sluice: 'XMLReader', className: 'org.apache.nifi.xml.XMLReader', artifact: RECORD_SERVICES },
  { sluice: 'XMLRecordSetWriter', className: 'org.apache.nifi.xml.XMLRecordSetWriter', artifact: RECORD_SERVICES },
  { sluice: 'StandardHttpContextMap', className: 'org.apache.nifi.http.StandardHttpContextMap', artifact: 'nifi-http-context-map-nar' },
  { sluice: 'StandardSSLContextService', className: 'org.apache.nifi.ssl.StandardSSLContextService', artifact: 'nifi-ssl-context-service-nar' },
  { sluice: 'StandardRestrictedSSLContextService', className: 'org.apache.nifi.ssl.StandardRestrictedSSLContextService', artifact: 'nifi-ssl-context-service-nar' },
  { sluice: 'StandardOauth2AccessTokenProvider', className: 'org.apache.nifi.oauth2.StandardOauth2AccessTokenProvider', artifact: 'nifi-oauth2-provider-nar' },
  { sluice: 'MapCacheClientService', className: 'org.apache.nifi.distributed.cache.client.MapCacheClientService', artifact: 'nifi-distributed-cache-services-nar' },
  { sluice: 'MapCacheServer', className: 'org.apache.nifi.distributed.cache.server.map.MapCacheServer', artifact: 'nifi-distributed-cache-services-nar' },
];

/** NiFi's interface for each service API name Sluice's descriptors use, for an export's `controllerServiceApis`. */
export const NIFI_SERVICE_APIS: Readonly<Record<string, string>> = {
  RecordReaderFactory: 'org.apache.nifi.serialization.RecordReaderFactory',
  RecordSetWriterFactory: 'org.apache.nifi.serialization.RecordSetWriterFactory',
  HttpContextMap: 'org.apache.nifi.http.HttpContextMap',
  SSLContextService: 'org.apache.nifi.ssl.SSLContextService',
  SSLContextProvider: 'org.apache.nifi.ssl.SSLContextProvider',
  OAuth2AccessTokenProvider: 'org.apache.nifi.oauth2.OAuth2AccessTokenProvider',
  DistributedMapCacheClient: 'org.apache.nifi.distributed.cache.client.DistributedMapCacheClient',
  AtomicDistributedMapCacheClient: 'org.apache.nifi.distributed.cache.client.AtomicDistributedMapCacheClient',
};

/**
 * The Integrator's own processors have no public NiFi class name (they ship in the Integrator's NAR, under its
 * package): a class whose simple name is one of these maps whatever its package.
 */
export const INTEGRATOR_PROCESSORS: ReadonlySet<string> = new Set(['IntegratorLogin', 'ReadErpData', 'WriteOmnitronStock', 'WriteOmnitronImages']);

export const NIFI_GROUP = 'org.apache.nifi';
/** The NiFi version an export's bundles name; NiFi takes the bundle it has when only the version differs. */
export const NIFI_BUNDLE_VERSION = '2.0.0';

const simpleName = (className: string) => className.slice(className.lastIndexOf('.') + 1);

function byClass(list: readonly NifiClass[]): Map<string, NifiClass> {
  const out = new Map<string, NifiClass>();
  for (const c of list) {
    out.set(c.className, c);
    for (const a of c.aliases ?? []) out.set(a, c);
  }
  return out;
}
const processorClasses = byClass(NIFI_PROCESSORS);
const serviceClasses = byClass(NIFI_SERVICES);
const processorBySluice = new Map(NIFI_PROCESSORS.map((c) => [c.sluice, c]));
const serviceBySluice = new Map(NIFI_SERVICES.map((c) => [c.sluice, c]));

/** The Sluice type a NiFi processor class stands for (whether this server has it is the caller's check). */
export function sluiceProcessorType(className: string): string | undefined {
  const known = processorClasses.get(className);
  if (known) return known.sluice;
  const simple = simpleName(className);
  return INTEGRATOR_PROCESSORS.has(simple) ? simple : undefined;
}

export function sluiceServiceType(className: string): string | undefined {
  return serviceClasses.get(className)?.sluice;
}

export function nifiProcessorClass(sluiceType: string): NifiClass | undefined {
  return processorBySluice.get(sluiceType);
}

export function nifiServiceClass(sluiceType: string): NifiClass | undefined {
  return serviceBySluice.get(sluiceType);
}

/**
 * NiFi's renames of controller-service property keys (their `migrateProperties`), which Sluice's services do not
 * carry: 1.x keys become NiFi 2's names before the names are matched.
 */
const SCHEMA_RENAMES: Readonly<Record<string, string>> = {
  'schema-access-strategy': 'Schema Access Strategy',
  'schema-registry': 'Schema Registry',
  'schema-name': 'Schema Name',
  'schema-branch': 'Schema Branch',
  'schema-version': 'Schema Version',
  'schema-text': 'Schema Text',
  'schema-reference-reader': 'Schema Reference Reader',
};
const CSV_RENAMES = { 'Skip Header Line': 'Treat First Line as Header', 'ignore-csv-header': 'Ignore CSV Header Column Names', 'csvutils-character-set': 'Character Set', 'csvutils-allow-duplicate-header-names': 'Allow Duplicate Header Names' };
const SERVICE_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CSVReader: { ...SCHEMA_RENAMES, ...CSV_RENAMES, 'csv-reader-csv-parser': 'CSV Parser', 'Trim double quote': 'Trim Double Quote' },
  CSVRecordSetWriter: { ...SCHEMA_RENAMES, 'schema-cache': 'Schema Cache', 'csv-writer': 'CSV Writer', 'csvutils-character-set': 'Character Set' },
  JsonTreeReader: { ...SCHEMA_RENAMES, 'starting-field-strategy': 'Starting Field Strategy', 'starting-field-name': 'Starting Field Name', 'schema-application-strategy': 'Schema Application Strategy', 'schema-inference-cache': 'Schema Inference Cache' },
  JsonRecordSetWriter: { ...SCHEMA_RENAMES, 'schema-cache': 'Schema Cache', 'suppress-nulls': 'Suppress Null Values', 'output-grouping': 'Output Grouping', 'compression-format': 'Compression Format', 'compression-level': 'Compression Level' },
  XMLReader: { ...SCHEMA_RENAMES, record_format: 'Expect Records as Array', attribute_prefix: 'Attribute Prefix', content_field_name: 'Field Name for Content', parse_xml_attributes: 'Parse XML Attributes', 'schema-inference-cache': 'Schema Inference Cache' },
  XMLRecordSetWriter: {
    ...SCHEMA_RENAMES, 'schema-cache': 'Schema Cache', suppress_nulls: 'Suppress Null Values', pretty_print_xml: 'Pretty Print XML', omit_xml_declaration: 'Omit XML Declaration',
    root_tag_name: 'Name of Root Tag', record_tag_name: 'Name of Record Tag', array_wrapping: 'Wrap Elements of Arrays', array_tag_name: 'Array Tag Name',
  },
};

export function migrateServiceProperties(sluiceType: string, config: PropertyConfiguration): void {
  for (const [from, to] of Object.entries(SERVICE_RENAMES[sluiceType] ?? {})) config.renameProperty(from, to);
}

/**
 * NiFi properties Sluice's components do not have, at the NiFi default that behaves as Sluice does: an export
 * writes every property, defaults included, and these are no loss. Any other value of them is reported.
 */
const SCHEMA_DEFAULTS = {
  'Schema Name': '${schema.name}', 'Schema Branch': '', 'Schema Version': '', 'Schema Registry': '', 'Schema Reference Reader': '',
  'Schema Cache': '', 'Schema Write Strategy': 'no-schema', 'Schema Protocol Version': '1', 'Schema Reference Writer': '',
  'Date Format': '', 'Time Format': '', 'Timestamp Format': '', 'Schema Inference Cache': '',
};
const NIFI_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CSVReader: { ...SCHEMA_DEFAULTS, 'CSV Parser': 'commons-csv', 'Trim Double Quote': 'true', 'Character Set': 'UTF-8', 'Allow Duplicate Header Names': 'true' },
  CSVRecordSetWriter: { ...SCHEMA_DEFAULTS, 'CSV Writer': 'commons-csv', 'Character Set': 'UTF-8', 'Include Trailing Delimiter': 'false' },
  JsonTreeReader: { ...SCHEMA_DEFAULTS, 'Schema Application Strategy': 'SELECTED_PART', 'Max String Length': '20 MB', 'Allow Comments': 'false' },
  JsonRecordSetWriter: { ...SCHEMA_DEFAULTS, 'Allow Scientific Notation': 'false', 'Compression Format': 'none', 'Compression Level': '1', 'Serialized JSON Input Handling': 'ENABLED', 'Timestamp Representation': 'AUTO' },
  XMLReader: { ...SCHEMA_DEFAULTS },
  XMLRecordSetWriter: { ...SCHEMA_DEFAULTS, 'Character Set': 'UTF-8' },
};

/** True when `name` is a NiFi property Sluice's `sluiceType` lacks and `value` is NiFi's default for it. */
export function isHarmlessNifiDefault(sluiceType: string, name: string, value: string): boolean {
  const d = NIFI_DEFAULTS[sluiceType]?.[name];
  return d !== undefined && d === value;
}
