/**
 * The "Mapping Testing" pane: one run of the JoltTransformJSON processor itself, on the real session and context,
 * with the step's own properties. What it shows (content, Java doubles, key order, relationship, errors) is what
 * the processor writes.
 */
import { checkExpression } from '@sluice/expression';
import { migrateProperties, validateProcessor, type ProcessorDefinition, type ProcessorServices } from '@sluice/flow-api';
import { runOnce, type RunOnceResult } from '@sluice/flow-core';
import { parseJson, type JoltWarning } from '@sluice/jolt';
import { getProcessor } from '@sluice/processors';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadInputError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { SYSTEM_CLOCK } from '../engine/engine.service.js';

export const MappingSchema = z.object({
  /** The specification (text as typed, or JSON); replaces the step's `Jolt Specification` when given. */
  spec: z.unknown().optional(),
  /** The FlowFile content: text as typed (kept exactly, `10.0` included), or JSON. */
  input: z.unknown(),
  /** Replaces the step's `Custom Context` when given. */
  context: z.unknown().optional(),
  /** The step's JoltTransformJSON properties (NiFi names; NiFi 1.x keys are migrated). */
  properties: z.record(z.string(), z.string()).default({}),
  /** Attributes of the FlowFile (for Expression Language and an attribute JSON Source). */
  attributes: z.record(z.string(), z.string()).default({}),
  /** Flow parameters for `#{...}` references. */
  parameters: z.record(z.string(), z.string()).default({}),
});

export interface MappingPaneResult {
  relationship: string;
  /** The text the processor wrote: the content, or the attribute for an attribute JSON Source. */
  content: string;
  /** That text parsed, when it is one JSON document. */
  output: unknown;
  attributes: Record<string, string>;
  error: string | null;
  warnings: JoltWarning[];
  warningCount: number;
}

const SPEC = 'Jolt Specification';
const FIELD_OF: Record<string, string> = { [SPEC]: 'spec', 'Custom Context': 'context' };

const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not available in the mapping pane`));

/** JoltTransformJSON needs no I/O: the other services refuse. */
function paneServices(): ProcessorServices {
  return {
    clock: SYSTEM_CLOCK,
    http: { request: unavailable('HTTP') },
    scripts: { run: unavailable('scripts') },
    state: { get: unavailable('state'), set: unavailable('state'), replace: unavailable('state'), clear: unavailable('state') },
    randomUuid: randomUUID,
  };
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** One run of JoltTransformJSON with these inputs: here by default; the API runs it in a worker with a deadline. */
export type MappingRun = (req: { properties: Record<string, string>; parameters: Record<string, string>; content: string; attributes: Record<string, string> }) => Promise<RunOnceResult>;

const runHere: MappingRun = (r) => runOnce({ definition: getProcessor('JoltTransformJSON') as ProcessorDefinition, ...r, services: paneServices() });

export async function runMappingPane(body: unknown, runner: MappingRun = runHere): Promise<MappingPaneResult> {
  const req = parseInput(MappingSchema, body);
  const definition = getProcessor('JoltTransformJSON') as ProcessorDefinition;
  const properties: Record<string, string> = { ...migrateProperties(definition, req.properties).properties };
  if (req.spec !== undefined) properties[SPEC] = asText(req.spec);
  if (req.context !== undefined) properties['Custom Context'] = asText(req.context);

  const spec = properties[SPEC];
  const sorting = properties['Jolt Transform'] === 'jolt-transform-sort';
  if (spec !== undefined && !sorting && !spec.includes('${') && !spec.includes('#{')) {
    try {
      parseJson(spec);
    } catch (e) {
      const message = `spec is not valid JSON: ${(e as Error).message}`;
      throw new BadInputError(message, [{ field: 'spec', message }], { error: message, path: 'spec' });
    }
  }
  const issues = validateProcessor(definition, properties, { checkExpression, parameters: req.parameters });
  if (issues.length > 0) {
    const message = issues.map((i) => i.message).join('; ');
    const errors = issues.map((i) => ({ field: FIELD_OF[i.property ?? ''] ?? `properties.${i.property ?? ''}`, message: i.message }));
    throw new BadInputError(message, errors, { error: message, path: errors[0]!.field });
  }

  const run = (props: Record<string, string>) => runner({ properties: props, parameters: req.parameters, content: asText(req.input), attributes: req.attributes });
  const result = await run(properties);
  // The step's own run gives the output; when it does not report unused paths, a second run with the report on
  // lists them (the report walks the spec without generated code, with the same output).
  const reporting = properties['Report Unused Paths'] === 'true' ? result : await run({ ...properties, 'Report Unused Paths': 'true' });
  const warned = reporting.logs.find((l) => l.level === 'warn' && /unused/.test(l.message));
  const reportedOut = reporting.outputs[0];

  const out = result.outputs[0];
  if (!out) throw new Error('JoltTransformJSON transferred no FlowFile');
  const sourceAttribute = properties['JSON Source'] === 'ATTRIBUTE' ? properties['JSON Source Attribute'] : undefined;
  const content = sourceAttribute !== undefined && out.relationship === 'success' ? (out.attributes[sourceAttribute] ?? '') : new TextDecoder().decode(out.content);
  let output: unknown = null;
  if (out.relationship === 'success' && properties['JSON Source'] !== 'JSON_LINES') {
    try {
      output = JSON.parse(content);
    } catch {
      output = null;
    }
  }
  return {
    relationship: out.relationship,
    content,
    output,
    attributes: out.attributes as Record<string, string>,
    error: out.attributes['jolt.error'] ?? null,
    warnings: Array.isArray(warned?.details) ? (warned.details as JoltWarning[]) : [],
    warningCount: Number(reportedOut?.attributes['jolt.warnings'] ?? 0),
  };
}
