import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ConnectionTappedEvent, ServerToClientEvents } from '@sluice/contracts';
import { session } from '../api/client.js';
import { formatBytes } from '../ui/format.js';

const KEEP = 500;

/**
 * Node-RED's debug sidebar for connections: each tapped connection streams the FlowFiles that go along it
 * (attributes, masked; size), newest first, while the panel is open.
 */
export function DebugPanel({ flowId, taps, label, onUntap, onClose }: { flowId: string; taps: readonly string[]; label: (connectionId: string) => string; onUntap: (id: string) => void; onClose: () => void }) {
  const [items, setItems] = useState<ConnectionTappedEvent[]>([]);
  const [dropped, setDropped] = useState<Record<string, number>>({});
  const [paused, setPaused] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<string | null>(null);
  const socketRef = useRef<Socket<ServerToClientEvents, ClientToServerEvents> | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const tapped = useRef(new Set<string>());

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', auth: { token: session.token() }, transports: ['websocket', 'polling'] });
    socketRef.current = socket;
    const wanted = tapped.current;
    socket.on('connect', () => {
      // After a reconnect the server has forgotten this socket's taps.
      for (const cid of wanted) socket.emit('connection.tap', flowId, cid);
    });
    socket.on('connection.tapped', (batch) => {
      if (pausedRef.current) return;
      // A batch sent before an untap reached the server may still arrive: keep only what is tapped now.
      const shown = batch.events.filter((e) => wanted.has(e.connectionId));
      if (shown.length) setItems((old) => [...shown.reverse(), ...old].slice(0, KEEP));
      if (Object.keys(batch.dropped).length) {
        setDropped((d) => {
          const next = { ...d };
          for (const [k, n] of Object.entries(batch.dropped)) next[k] = (next[k] ?? 0) + n;
          return next;
        });
      }
    });
    return () => {
      socket.disconnect();
      socketRef.current = null;
      wanted.clear();
    };
  }, [flowId]);

  useEffect(() => {
    const socket = socketRef.current;
    if (!socket) return;
    for (const cid of taps) {
      if (tapped.current.has(cid)) continue;
      tapped.current.add(cid);
      socket.emit('connection.tap', flowId, cid, (ok, reason) => {
        if (!ok) setErrors((e) => ({ ...e, [cid]: reason ?? 'refused' }));
      });
    }
    for (const cid of [...tapped.current]) {
      if (taps.includes(cid)) continue;
      tapped.current.delete(cid);
      socket.emit('connection.untap', flowId, cid);
    }
  }, [taps, flowId]);

  const lost = Object.values(dropped).reduce((a, b) => a + b, 0);
  return (
    <section className="debug-panel" data-testid="debug-panel" aria-label="Debug">
      <header className="debug-head">
        <strong>Debug</strong>
        <div className="debug-taps">
          {taps.map((cid) => (
            <span key={cid} className="debug-tap" title={errors[cid]} data-tap={cid}>
              {errors[cid] ? '⚠ ' : '◉ '}
              {label(cid)}
              <button className="btn ghost sm" aria-label={`Stop tapping ${label(cid)}`} onClick={() => onUntap(cid)}>✕</button>
            </span>
          ))}
        </div>
        <div className="spacer" />
        {lost > 0 && <span className="muted small" title="More than 50 FlowFiles per connection in a quarter second are counted, not shown">{lost} not shown</span>}
        <button className="btn ghost sm" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>{paused ? 'Resume' : 'Pause'}</button>
        <button className="btn ghost sm" onClick={() => { setItems([]); setDropped({}); }}>Clear</button>
        <button className="btn ghost sm" onClick={onClose} aria-label="Close the debug panel">✕</button>
      </header>
      <div className="debug-list" role="log" aria-live="off">
        {items.length === 0 && <div className="muted pad small">Waiting for FlowFiles on the tapped connections…</div>}
        {items.map((e, i) => {
          const key = `${e.flowFileUuid}:${e.timestamp}:${i}`;
          return (
            <div key={key} className="debug-item" data-uuid={e.flowFileUuid}>
              <button className="debug-line" onClick={() => setOpen(open === key ? null : key)} aria-expanded={open === key}>
                <span className="mono small">{new Date(e.timestamp).toLocaleTimeString()}</span>
                <span className="small">{label(e.connectionId)}</span>
                <span className="mono small">{e.attributes.filename ?? e.flowFileUuid.slice(0, 8)}</span>
                <span className="muted small">{formatBytes(e.size)} · {Object.keys(e.attributes).length} attributes</span>
              </button>
              {open === key && <pre className="content-view">{JSON.stringify({ uuid: e.flowFileUuid, event: e.eventType, attributes: e.attributes }, null, 2)}</pre>}
            </div>
          );
        })}
      </div>
    </section>
  );
}
