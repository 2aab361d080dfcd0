import { handleList, propertyHandles, defineProcessor, type PropertyConfiguration } from '@sluice/flow-api';

const P = {
  attribute: 'Retry Attribute', max: 'Maximum Retries', penalize: 'Penalize Retries', failOnOverwrite: 'Fail on Nonnumerical Overwrite', reuse: 'Reuse Mode',
} as const;
export { P as RETRY_FLOW_FILE_PROPERTIES };

const RETRY = 'retry';
const EXCEEDED = 'retries_exceeded';
const FAILURE = 'failure';
const INTEGER = /^[+-]?\d+$/;
const JAVA_INT_MAX = 2_147_483_647;

const trueFalse = [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }];

/** Java's Integer.parseInt: a whole number in int range, else null. */
function parseJavaInt(text: string): number | null {
  if (!INTEGER.test(text)) return null;
  const n = Number(text);
  return n >= -JAVA_INT_MAX - 1 && n <= JAVA_INT_MAX ? n : null;
}

const PROPS = propertyHandles([
  { name: P.attribute, displayName: P.attribute, description: 'The attribute holding the retry count (Expression Language: environment).', type: 'string', required: true, default: 'flowfile.retries', expressionScope: 'environment' },
  { name: P.max, displayName: P.max, description: "How often a FlowFile may be retried before it goes to 'retries_exceeded' (Expression Language against the FlowFile).", type: 'string', required: true, default: '3', expressionScope: 'flowfile', validators: [{ kind: 'regex', pattern: '^\\s*(\\$\\{.*|#\\{.*|0*[1-9]\\d{0,9})\\s*$', message: 'must be a whole number from 1 to 2147483647' }] },
  { name: P.penalize, displayName: P.penalize, description: "Penalize FlowFiles sent to 'retry'.", type: 'enum', required: true, default: 'true', allowableValues: trueFalse },
  { name: P.failOnOverwrite, displayName: P.failOnOverwrite, description: 'Fail a FlowFile whose retry attribute is not a number instead of resetting it to 1.', type: 'enum', required: true, default: 'false', allowableValues: trueFalse },
  {
    name: P.reuse, displayName: P.reuse, type: 'enum', required: true, default: 'fail',
    description: 'What to do when another RetryFlowFile last counted the FlowFile (its uuid is in <Retry Attribute>.uuid).',
    allowableValues: [
      { value: 'fail', displayName: 'Fail on Reuse', description: 'Send the FlowFile to failure, whatever its count.' },
      { value: 'warn', displayName: 'Warn on Reuse', description: 'Log a warning and start counting again from 1.' },
      { value: 'reset', displayName: 'Reset Reuse', description: 'Start counting again from 1 (a debug message).' },
    ],
  },
]);

export const RetryFlowFile = defineProcessor({
  descriptor: {
    type: 'RetryFlowFile',
    version: 1,
    displayName: 'Retry FlowFile',
    description:
      "Counts retries in an attribute: below Maximum Retries the FlowFile goes to 'retry' (loop it back to the step that failed), " +
      "beyond it to 'retries_exceeded' with the user-added properties as attributes. A non-numeric count is reset to 1, or fails the FlowFile.",
    category: 'routing',
    tags: ['retry', 'loop', 'penalize'],
    properties: handleList(PROPS),
    relationships: [
      { name: RETRY, description: 'FlowFiles still within Maximum Retries: route back to the step to retry.' },
      { name: EXCEEDED, failure: true, description: 'FlowFiles beyond Maximum Retries.' },
      { name: FAILURE, failure: true, description: 'A non-numeric count with Fail on Nonnumerical Overwrite, a FlowFile counted by another RetryFlowFile, or a Maximum Retries that is not a number.', autoTerminateDefault: true },
    ],
    dynamicProperties: { description: "An attribute added to FlowFiles sent to 'retries_exceeded' (a value evaluating blank is not added).", expressionScope: 'flowfile' },
    inputRequirement: 'required',
    readsAttributes: [{ name: '<Retry Attribute>', description: 'The current retry count.' }],
    writesAttributes: [
      { name: '<Retry Attribute>', description: 'The retry count, on FlowFiles sent to retry; removed on retries_exceeded.' },
      { name: '<Retry Attribute>.uuid', description: 'The id of the processor that counted it last.' },
    ],
  },

  migrateProperties(config: PropertyConfiguration): void {
    config.renameProperty('retry-attribute', P.attribute);
    config.renameProperty('maximum-retries', P.max);
    config.renameProperty('penalize-retries', P.penalize);
    config.renameProperty('reuse-mode', P.reuse);
    config.renameProperty('Fail on Non-numerical Overwrite', P.failOnOverwrite);
  },

  onTrigger(ctx, session) {
    let ff = session.get();
    if (!ff) return;
    const attribute = ctx.cache('retry-attribute', () => ctx.get(PROPS[P.attribute]));
    const lastRetriedBy = `${attribute}.uuid`;
    const current = ff.attributes[attribute];
    let retry: number;
    if (current === undefined) retry = 1;
    else {
      const n = parseJavaInt(current.trim());
      if (n === null) {
        if (ctx.get(PROPS[P.failOnOverwrite]) === 'true') return session.transfer(ff, FAILURE);
        retry = 1;
      } else retry = n + 1;
    }
    const previous = ff.attributes[lastRetriedBy];
    if (previous !== undefined && previous.trim() !== '' && previous !== ctx.processorId) {
      const mode = ctx.get(PROPS[P.reuse]);
      if (mode === 'fail') {
        ctx.log.error(`FlowFile ${ff.uuid} was previously retried with the same attribute by a different processor. Route to 'failure'`);
        return session.transfer(ff, FAILURE);
      }
      const message = `FlowFile ${ff.uuid} was previously retried with the same attribute by a different processor. Reset the current retry count to '1'. Consider changing the retry attribute for this processor.`;
      if (mode === 'warn') ctx.log.warn(message);
      else ctx.log.debug(message);
      retry = 1;
    }
    const max = parseJavaInt(ctx.get(PROPS[P.max], ff).trim());
    if (max === null) {
      ctx.log.warn("Maximum Retries was not a number for this FlowFile, route to 'failure'");
      return session.transfer(ff, FAILURE);
    }
    if (retry > max) {
      for (const [name, value] of Object.entries(ctx.dynamicProperties())) {
        const evaluated = ctx.evaluateExpression(value, ff);
        if (evaluated.trim() !== '') ff = session.putAttribute(ff, name, evaluated);
      }
      ff = session.removeAttribute(session.removeAttribute(ff, attribute), lastRetriedBy);
      return session.transfer(ff, EXCEEDED);
    }
    if (ctx.get(PROPS[P.penalize]) !== 'false') ff = session.penalize(ff);
    ff = session.putAllAttributes(ff, { [attribute]: String(retry), [lastRetriedBy]: ctx.processorId });
    session.transfer(ff, RETRY);
  },
});
