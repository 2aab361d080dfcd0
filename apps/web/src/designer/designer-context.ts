import { createContext, useContext } from 'react';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import type { ProcessorValidationDto } from '@sluice/contracts';
import type { LiveStore } from '../canvas/live-store.js';

export interface DesignerContextValue {
  flowId: string;
  descriptors: ReadonlyMap<string, ProcessorDescriptor>;
  live: LiveStore;
  canEdit: boolean;
  /** Messages from the server's last validation, for checks the browser cannot run (cross-property rules). */
  serverValidation: ReadonlyMap<string, ProcessorValidationDto[]>;
}

export const DesignerContext = createContext<DesignerContextValue | null>(null);

export function useDesigner(): DesignerContextValue {
  const ctx = useContext(DesignerContext);
  if (!ctx) throw new Error('useDesigner must be used inside the flow designer');
  return ctx;
}
