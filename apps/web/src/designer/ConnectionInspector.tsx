import { useCallback, useEffect, useState } from 'react';
import type { QueueListingDto } from '@sluice/contracts';
import { relationshipsFor } from '@sluice/flow-api';
import type { ConnectionEdgeType, FlowNodeType } from '../canvas/flow-model.js';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';
import { api, errorText } from '../api/client.js';
import { useConnectionLive } from '../canvas/live-store.js';
import { formatBytes, formatDateTime } from '../ui/format.js';

export function ConnectionInspector({ edge, source, target, editor }: { edge: ConnectionEdgeType; source?: FlowNodeType; target?: FlowNodeType; editor: FlowEditor }) {
  const { descriptors, canEdit, flowId, live, tap } = useDesigner();
  const data = edge.data!;
  // A port (or a group's port handle) has one relationship, which cannot be unticked.
  const d = source?.type === 'processor' ? descriptors.get(source.data.type) : undefined;
  const rels = d && source?.type === 'processor' ? relationshipsFor(d, source.data.properties) : [];
  const q = useConnectionLive(live, edge.id);
  const [listing, setListing] = useState<QueueListingDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [content, setContent] = useState<{ uuid: string; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setError(null);
      setListing(await api.queue(flowId, edge.id));
    } catch (e) {
      setError(errorText(e));
    }
  }, [flowId, edge.id]);

  useEffect(() => {
    void load();
  }, [load, q?.count]);

  return (
    <div className="inspector-body" data-testid="connection-inspector">
      <div className="inspector-head">
        <div className="title-static">
          {source?.data.name ?? edge.source} → {target?.data.name ?? edge.target}
        </div>
        <div className="muted small mono">{edge.id}</div>
        {tap && (
          <div className="inspector-actions">
            <button className="btn sm" onClick={() => tap(edge.id)} data-testid="tap-connection" title="Show the FlowFiles that go along this connection, live, in the debug panel">
              ◉ Tap live
            </button>
          </div>
        )}
      </div>
      <div className="inspector-scroll pad">
        <h3>Relationships</h3>
        {rels.map((r) => (
          <label className="check-row" key={r.name}>
            <input
              type="checkbox"
              disabled={!canEdit}
              checked={data.relationships.includes(r.name)}
              onChange={(e) =>
                editor.updateConnection(edge.id, {
                  relationships: e.target.checked ? [...data.relationships, r.name] : data.relationships.filter((x) => x !== r.name),
                })
              }
            />
            <span>{r.name}</span>
          </label>
        ))}
        {data.relationships.length === 1 && canEdit && <p className="muted small">Unticking the last relationship removes the connection.</p>}
        <h3 className="mt">Back pressure</h3>
        <label className="field">
          <span>Object threshold</span>
          <input
            type="number"
            min={1}
            readOnly={!canEdit}
            value={data.backPressureObjectThreshold}
            onChange={(e) => editor.updateConnection(edge.id, { backPressureObjectThreshold: Math.max(1, Number(e.target.value) || 1) }, 'bpo')}
          />
        </label>
        <label className="field">
          <span>Data size threshold</span>
          <input readOnly={!canEdit} value={data.backPressureDataSizeThreshold} onChange={(e) => editor.updateConnection(edge.id, { backPressureDataSizeThreshold: e.target.value }, 'bpd')} />
        </label>
        <div className="queue-head">
          <h3>Queue</h3>
          <span className="muted">
            {listing ? `${listing.count} FlowFiles · ${formatBytes(listing.bytes)}` : '—'}
          </span>
          <span className="spacer" />
          <button className="btn sm" onClick={load}>Refresh</button>
          {canEdit && (
            <button
              className="btn sm danger"
              disabled={!listing?.count}
              onClick={async () => {
                try {
                  await api.emptyQueue(flowId, edge.id);
                  await load();
                } catch (e) {
                  setError(errorText(e));
                }
              }}
            >
              Empty queue
            </button>
          )}
        </div>
        {error && <div className="error-box">{error}</div>}
        {listing && listing.flowFiles.length > 0 && (
          <table className="table compact">
            <thead>
              <tr><th>#</th><th>filename</th><th>size</th><th>queued</th></tr>
            </thead>
            <tbody>
              {listing.flowFiles.map((f) => (
                <tr
                  key={f.uuid}
                  className={content?.uuid === f.uuid ? 'selected clickable' : 'clickable'}
                  title={Object.entries(f.attributes).map(([k, v]) => `${k} = ${v}`).join('\n')}
                  onClick={async () => {
                    try {
                      const c = await api.queuedContent(flowId, edge.id, f.uuid);
                      setContent({ uuid: f.uuid, text: c.content });
                    } catch (e) {
                      setError(errorText(e));
                    }
                  }}
                >
                  <td>{f.position + 1}</td>
                  <td className="mono">{f.attributes.filename ?? f.uuid.slice(0, 8)}</td>
                  <td>{formatBytes(f.size)}</td>
                  <td>{formatDateTime(f.entryDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {content && (
          <div className="mt">
            <h3>Content of {content.uuid.slice(0, 8)}</h3>
            <pre className="content-view">{content.text}</pre>
          </div>
        )}
      </div>
    </div>
  );
}
