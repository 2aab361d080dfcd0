import type { ReactNode } from 'react';

/** A modal question with one consequential answer; the answer button says exactly what it does. */
export function ConfirmDialog({
  title,
  children,
  confirm,
  danger,
  busy,
  error,
  onConfirm,
  onCancel,
  testId,
}: {
  title: string;
  children: ReactNode;
  /** The confirming button's words, e.g. "Write to Omnitron". */
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        <div className="modal-body">{children}</div>
        {error && <div className="error-box">{error}</div>}
        <div className="modal-actions">
          <button className="btn" onClick={onCancel} disabled={busy} autoFocus>
            Cancel
          </button>
          <button className={`btn ${danger ? 'stop' : 'primary'}`} onClick={onConfirm} disabled={busy} data-testid="confirm">
            {busy ? 'Working…' : confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
