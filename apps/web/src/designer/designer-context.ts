import { createContext, useContext } from 'react';
import type { ControllerServiceDescriptor, ProcessorDescriptor } from '@sluice/flow-api';
import type { ControllerServiceConfig, FlowDocument } from '@sluice/contracts';
import type { LiveStore } from '../canvas/live-store.js';
import type { SavedValidation } from './issues.js';

export interface DesignerContextValue {
  flowId: string;
  descriptors: ReadonlyMap<string, ProcessorDescriptor>;
  live: LiveStore;
  canEdit: boolean;
  /** The problems of the version the server stored, and what they were found on. */
  saved: SavedValidation;
  /** The flow's parameters as edited (the browser validates unsaved edits with them). */
  parameters: Readonly<Record<string, string>>;
  /** Empties connections' queues and deletes what the user chose; asks first (see DeleteDialog). */
  requestDelete?: (nodeIds: string[], edgeIds: string[]) => void;
  /** Controller service types the flow's services may use; none when absent. */
  serviceTypes?: ReadonlyMap<string, ControllerServiceDescriptor>;
  /** The flow's controller services as edited. */
  controllerServices?: readonly ControllerServiceConfig[];
  /** Streams a connection's FlowFiles into the debug panel (a saved connection only). */
  tap?: (connectionId: string) => void;
  /** The document outside the group shown (groups' contents, their ports), as last taken from the canvas. */
  document?: FlowDocument;
  /** Shows a process group's contents (ROOT_GROUP: the flow's top). */
  enterGroup?: (groupId: string) => void;
}

export const DesignerContext = createContext<DesignerContextValue | null>(null);

export function useDesigner(): DesignerContextValue {
  const ctx = useContext(DesignerContext);
  if (!ctx) throw new Error('useDesigner must be used inside the flow designer');
  return ctx;
}
