import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@sluice/contracts';
import { session } from './client.js';
import type { LiveStore } from '../canvas/live-store.js';

export type SocketStatus = 'connecting' | 'live' | 'offline';

/** Joins the flow's room and feeds every event into the live store. */
export function useFlowEvents(flowId: string | undefined, store: LiveStore, onExecution?: () => void): SocketStatus {
  const [status, setStatus] = useState<SocketStatus>('connecting');
  // The latest callback, so a filter change on the page is seen without re-joining the room.
  const onExecutionRef = useRef(onExecution);
  onExecutionRef.current = onExecution;
  useEffect(() => {
    if (!flowId) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', auth: { token: session.token() }, transports: ['websocket', 'polling'] });
    socket.on('connect', () => {
      setStatus('live');
      socket.emit('flow.join', flowId);
    });
    socket.on('disconnect', () => setStatus('offline'));
    socket.on('connect_error', () => setStatus('offline'));
    socket.on('processor.state-changed', (e) => store.setProcessor(e.processorId, { state: e.state, activeTasks: e.activeTasks }));
    socket.on('connection.queue-changed', (batch) => {
      for (const e of batch) store.setConnection(e.connectionId, { count: e.count, bytes: e.bytes, fill: e.fill });
    });
    socket.on('processor.stats-updated', (batch) => {
      for (const e of batch) store.setProcessor(e.processorId, { in: e.in, out: e.out, tasks: e.tasks });
    });
    socket.on('processor.bulletin', (b) => store.addBulletin(b));
    socket.on('execution.updated', (e) => {
      store.setExecution(e);
      onExecutionRef.current?.();
    });
    return () => {
      socket.emit('flow.leave', flowId);
      socket.disconnect();
    };
  }, [flowId, store]);
  return status;
}
