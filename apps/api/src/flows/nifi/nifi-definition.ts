import { z } from 'zod';

/*
 * A NiFi flow definition, as "Download flow definition" writes it (NiFi 1.11 and later, 2.x): the parts Sluice
 * reads. NiFi writes nulls for unset values and leaves fields out across versions, so nearly everything is optional;
 * fields Sluice does not read are let through.
 */

const text = z.string().nullish();
const position = z.looseObject({ x: z.number(), y: z.number() }).nullish();
const stringMap = z.record(z.string(), z.string().nullable()).nullish();

const propertyDescriptor = z.looseObject({
  name: text,
  displayName: text,
  identifiesControllerService: z.boolean().nullish(),
  sensitive: z.boolean().nullish(),
  dynamic: z.boolean().nullish(),
});

const component = {
  identifier: z.string().min(1, 'must be a non-empty string'),
  instanceIdentifier: text,
  name: text,
  comments: text,
  position,
  groupIdentifier: text,
  componentType: text,
};

export const NifiProcessorSchema = z.looseObject({
  ...component,
  type: z.string().min(1),
  bundle: z.looseObject({ group: text, artifact: text, version: text }).nullish(),
  properties: stringMap,
  propertyDescriptors: z.record(z.string(), propertyDescriptor).nullish(),
  annotationData: text,
  schedulingPeriod: text,
  schedulingStrategy: text,
  executionNode: text,
  penaltyDuration: text,
  yieldDuration: text,
  bulletinLevel: text,
  runDurationMillis: z.number().nullish(),
  concurrentlySchedulableTaskCount: z.number().nullish(),
  autoTerminatedRelationships: z.array(z.string()).nullish(),
  retryCount: z.number().nullish(),
  retriedRelationships: z.array(z.string()).nullish(),
  style: z.record(z.string(), z.unknown()).nullish(),
  scheduledState: text,
});
export type NifiProcessor = z.infer<typeof NifiProcessorSchema>;

export const NifiControllerServiceSchema = z.looseObject({
  ...component,
  type: z.string().min(1),
  bundle: z.looseObject({ group: text, artifact: text, version: text }).nullish(),
  properties: stringMap,
  propertyDescriptors: z.record(z.string(), propertyDescriptor).nullish(),
  annotationData: text,
  scheduledState: text,
});
export type NifiControllerService = z.infer<typeof NifiControllerServiceSchema>;

const connectable = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  groupId: text,
  name: text,
});
export type NifiConnectable = z.infer<typeof connectable>;

export const NifiConnectionSchema = z.looseObject({
  ...component,
  source: connectable,
  destination: connectable,
  selectedRelationships: z.array(z.string()).nullish(),
  backPressureObjectThreshold: z.number().nullish(),
  backPressureDataSizeThreshold: text,
  flowFileExpiration: text,
  prioritizers: z.array(z.string()).nullish(),
  bends: z.array(z.unknown()).nullish(),
  loadBalanceStrategy: text,
});
export type NifiConnection = z.infer<typeof NifiConnectionSchema>;

const simpleComponent = z.looseObject({ ...component, label: text, type: text, allowRemoteAccess: z.boolean().nullish() });
export type NifiSimpleComponent = z.infer<typeof simpleComponent>;

export interface NifiProcessGroup {
  identifier: string;
  name?: string | null;
  comments?: string | null;
  position?: { x: number; y: number } | null;
  processGroups?: NifiProcessGroup[] | null;
  remoteProcessGroups?: NifiSimpleComponent[] | null;
  processors?: NifiProcessor[] | null;
  inputPorts?: NifiSimpleComponent[] | null;
  outputPorts?: NifiSimpleComponent[] | null;
  connections?: NifiConnection[] | null;
  labels?: NifiSimpleComponent[] | null;
  funnels?: NifiSimpleComponent[] | null;
  controllerServices?: NifiControllerService[] | null;
  parameterContextName?: string | null;
  flowFileConcurrency?: string | null;
  flowFileOutboundPolicy?: string | null;
  executionEngine?: string | null;
  versionedFlowCoordinates?: unknown;
  /** NiFi 1.x's variable registry. */
  variables?: Record<string, string | null> | null;
}

export const NifiProcessGroupSchema: z.ZodType<NifiProcessGroup> = z.lazy(() =>
  z.looseObject({
    ...component,
    processGroups: z.array(NifiProcessGroupSchema).nullish(),
    remoteProcessGroups: z.array(simpleComponent).nullish(),
    processors: z.array(NifiProcessorSchema).nullish(),
    inputPorts: z.array(simpleComponent).nullish(),
    outputPorts: z.array(simpleComponent).nullish(),
    connections: z.array(NifiConnectionSchema).nullish(),
    labels: z.array(simpleComponent).nullish(),
    funnels: z.array(simpleComponent).nullish(),
    controllerServices: z.array(NifiControllerServiceSchema).nullish(),
    parameterContextName: text,
    flowFileConcurrency: text,
    flowFileOutboundPolicy: text,
    executionEngine: text,
    versionedFlowCoordinates: z.unknown().optional(),
    variables: z.record(z.string(), z.string().nullable()).nullish(),
  }),
) as z.ZodType<NifiProcessGroup>;

export const NifiParameterSchema = z.looseObject({
  name: z.string().min(1),
  description: text,
  sensitive: z.boolean().nullish(),
  provided: z.boolean().nullish(),
  value: text,
  referencedAssets: z.array(z.unknown()).nullish(),
});

export const NifiParameterContextSchema = z.looseObject({
  name: z.string().min(1),
  identifier: text,
  description: text,
  parameters: z.array(NifiParameterSchema).nullish(),
  inheritedParameterContexts: z.array(z.string()).nullish(),
  parameterProvider: text,
});
export type NifiParameterContext = z.infer<typeof NifiParameterContextSchema>;

export const NifiFlowDefinitionSchema = z.looseObject({
  flowContents: NifiProcessGroupSchema,
  externalControllerServices: z.record(z.string(), z.looseObject({ identifier: text, name: text })).nullish(),
  parameterContexts: z.record(z.string(), NifiParameterContextSchema).nullish(),
  parameterProviders: z.record(z.string(), z.unknown()).nullish(),
  flowEncodingVersion: text,
});
export type NifiFlowDefinition = z.infer<typeof NifiFlowDefinitionSchema>;

/** A NiFi flow definition rather than Sluice's own export: it has NiFi's `flowContents` group. */
export function isNifiFlowDefinition(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'flowContents' in body;
}

