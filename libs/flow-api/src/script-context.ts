import type { StateScope } from './services.js';

/** A property as a script's `context.getProperty(name)` sees it. */
export interface ScriptProperty {
  /** What `getValue()` returns (parameters substituted, Expression Language not evaluated); null when unset. */
  readonly value: string | null;
  /** The value holds Expression Language, so `evaluateAttributeExpressions` has to ask the processor. */
  readonly expression: boolean;
  /** A user-added property: bound as a script variable of the same name, as NiFi does. */
  readonly dynamic: boolean;
}

/** A FlowFile handed to a running script after it started (more `session.get()` calls); content comes on demand. */
export interface ScriptFlowFileInfo {
  readonly index: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly size: number;
  readonly lineageStartDate: number;
  readonly entryDate: number;
  readonly penalized: boolean;
}

/**
 * A call a running script makes back into its processor: Expression Language, the state manager, more FlowFiles
 * from the session, content of those FlowFiles, and real uuids for FlowFiles it creates.
 * FlowFiles are named by key: `i<n>` for the n-th FlowFile the script took, `c<n>` for the n-th it created.
 */
export type ScriptHostCall =
  | { readonly op: 'evaluate'; readonly property?: string; readonly text?: string; readonly attributes: Readonly<Record<string, string>> | null }
  | { readonly op: 'state.get'; readonly scope: StateScope }
  | { readonly op: 'state.set'; readonly scope: StateScope; readonly values: Readonly<Record<string, string>> }
  | { readonly op: 'state.replace'; readonly scope: StateScope; readonly expected: Readonly<Record<string, string>>; readonly values: Readonly<Record<string, string>> }
  | { readonly op: 'state.clear'; readonly scope: StateScope }
  | { readonly op: 'session.get'; readonly max: number }
  | { readonly op: 'session.peek'; readonly limit: number }
  | { readonly op: 'session.take'; readonly uuids: readonly string[] }
  | { readonly op: 'session.queueSize' }
  | { readonly op: 'content'; readonly index: number }
  | { readonly op: 'create'; readonly key: string; readonly parents: readonly string[]; readonly origin: 'create' | 'clone' };

/** The answer to a host call: a JSON value, and bytes for content. */
export interface ScriptHostReply {
  readonly value?: unknown;
  readonly bytes?: Uint8Array;
}

/** What ExecuteScript passes so that `context`, dynamic properties, state and further `session.get()` work. */
export interface ScriptContext {
  readonly processorName: string;
  readonly processorId: string;
  readonly properties: Readonly<Record<string, ScriptProperty>>;
  /** Relationships that lead to a connection, for `context.hasConnection`. */
  readonly connected: readonly string[];
  readonly hasIncomingConnection: boolean;
  /** Answers the script's calls; a rejection becomes an exception in the script, with its message. */
  call(call: ScriptHostCall): Promise<ScriptHostReply>;
}

/** A provenance event the script reported (`session.getProvenanceReporter().send(...)`) that the session does not record itself. */
export interface ScriptProvenance {
  readonly type: 'RECEIVE' | 'SEND' | 'FETCH';
  readonly uri: string;
  readonly details?: string;
}
