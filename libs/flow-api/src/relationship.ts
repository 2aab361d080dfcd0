/** A named route out of a processor. Names are lower-case and persisted; never renamed. */
export interface Relationship {
  readonly name: string;
  readonly description: string;
  /** When true, FlowFiles sent here are dropped unless a connection uses the relationship. */
  readonly autoTerminateDefault?: boolean;
  /** The relationship exists only when this condition on the config holds. */
  readonly when?: PropertyCondition;
  /**
   * FlowFiles routed here did not get through the step: a host that follows runs counts such a route as a failure
   * of the run (NiFi has no such flag; its failure routes are known by convention only).
   */
  readonly failure?: true;
}

export interface PropertyCondition {
  readonly property: string;
  /** Any of these values satisfies the condition; absent means "any non-empty value". */
  readonly values?: readonly string[];
}

export const REL_SUCCESS: Relationship = { name: 'success', description: 'FlowFiles processed successfully.' };
export const REL_FAILURE: Relationship = { name: 'failure', description: 'FlowFiles that could not be processed.', failure: true };
export const REL_ORIGINAL: Relationship = { name: 'original', description: 'The original FlowFile, after it was processed.' };
