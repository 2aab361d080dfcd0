import { useMemo } from 'react';
import { useStore, type ReactFlowState } from '@xyflow/react';
import type { ProcessorValidationDto } from '@sluice/contracts';
import type { ProcessorData } from '../canvas/flow-model.js';
import { useDesigner } from './designer-context.js';
import { localIssues, processorSnapshot, serviceSummaries, shownIssues, wiringKey } from './issues.js';

const wiringSelector = (id: string) => (s: ReactFlowState) =>
  wiringKey(
    id,
    s.edges.map((e) => ({
      id: e.id,
      sourceId: e.source,
      targetId: e.target,
      relationships: (e.data as { relationships?: string[] } | undefined)?.relationships ?? (e.sourceHandle ? [e.sourceHandle] : []),
    })),
  );

/** A processor's problems, as the canvas badge, the inspector and the form show them (see shownIssues). */
export function useProcessorIssues(id: string, data: ProcessorData): ProcessorValidationDto[] {
  const { descriptors, saved, parameters, controllerServices, serviceTypes } = useDesigner();
  const wiring = useStore(useMemo(() => wiringSelector(id), [id]));
  const descriptor = descriptors.get(data.type);
  return useMemo(
    () =>
      shownIssues(id, processorSnapshot(data, wiring, parameters, controllerServices), saved, () =>
        localIssues(id, data, descriptor, wiring, parameters, serviceSummaries({ controllerServices: [...(controllerServices ?? [])], parameters }, serviceTypes)),
      ).issues,
    [id, data, wiring, parameters, saved, descriptor, controllerServices, serviceTypes],
  );
}
