import type { FlowImportDto } from '@sluice/contracts';

/**
 * What an imported NiFi flow definition became: the new flow, and each component, property or setting that could
 * not be carried over, with NiFi's id and type, so nothing is lost without the user knowing.
 */
export function ImportReportDialog({ result, onOpen, onClose }: { result: FlowImportDto; onOpen: () => void; onClose: () => void }) {
  const { report } = result;
  const title = report.length === 0 ? 'NiFi flow imported' : `NiFi flow imported with ${report.length} item${report.length === 1 ? '' : 's'} not carried over`;
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal import-report" role="dialog" aria-modal="true" aria-label={title} data-testid="import-report">
        <h2>{title}</h2>
        <div className="modal-body">
          <p>
            <strong>{result.name}</strong>: {result.document.processors.length} processor{result.document.processors.length === 1 ? '' : 's'},{' '}
            {result.document.connections.length} connection{result.document.connections.length === 1 ? '' : 's'}, {result.document.controllerServices.length} controller service
            {result.document.controllerServices.length === 1 ? '' : 's'}, {result.document.processGroups?.length ?? 0} process group{result.document.processGroups?.length === 1 ? '' : 's'}.
          </p>
          {report.length === 0 ? (
            <p data-testid="import-report-empty">Everything in the flow definition was carried over.</p>
          ) : (
            <table className="table small" data-testid="import-report-table">
              <thead>
                <tr>
                  <th>Component</th>
                  <th>NiFi type</th>
                  <th>NiFi id</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {report.map((e, i) => (
                  <tr key={`${e.nifiId}-${e.property ?? ''}-${i}`} data-nifi-id={e.nifiId}>
                    <td>
                      {e.name ?? <span className="muted">unnamed</span>}
                      {e.property && <div className="muted small">{e.property}</div>}
                    </td>
                    <td className="mono small">{e.type.slice(e.type.lastIndexOf('.') + 1)}</td>
                    <td className="mono small" title={e.nifiId}>{e.nifiId}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.validation.length > 0 && (
            <p className="muted" data-testid="import-report-problems">
              The flow has {result.validation.length} problem{result.validation.length === 1 ? '' : 's'} to fix before it starts (sensitive parameters come without values, as NiFi exports them).
            </p>
          )}
        </div>
        <div className="modal-actions">
          <button className="btn" onClick={onClose}>Close</button>
          <button className="btn primary" onClick={onOpen} autoFocus data-testid="open-imported">Open flow</button>
        </div>
      </div>
    </div>
  );
}
