import { useEffect, useState } from 'react';

interface Row {
  key: string;
  value: string;
}

const parse = (text: string | undefined): Row[] | null => {
  if (!text) return [];
  try {
    const obj = JSON.parse(text) as unknown;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
    return Object.entries(obj as Record<string, unknown>).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
  } catch {
    return null;
  }
};

const serialize = (rows: Row[]) => JSON.stringify(Object.fromEntries(rows.filter((r) => r.key !== '').map((r) => [r.key, r.value])));

/** A `dict` property (stored as a JSON object string) edited as key/value rows. */
export function KeyValueEditor({
  value,
  onChange,
  readOnly,
  name,
  secretKeys,
}: {
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  readOnly?: boolean;
  name: string;
  /** Keys whose values are secrets: typed into a password field (the server sends them masked). */
  secretKeys?: ReadonlySet<string>;
}) {
  const parsed = parse(value);
  const [rows, setRows] = useState<Row[]>(parsed ?? []);
  // Follow outside changes (undo, reload) unless they are the echo of our own edit.
  useEffect(() => {
    const next = parse(value);
    if (next && serialize(next) !== serialize(rows)) setRows(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  if (parsed === null) {
    return (
      <div className="kv-broken">
        <textarea value={value ?? ''} readOnly={readOnly} aria-label={name} onChange={(e) => onChange(e.target.value)} />
      </div>
    );
  }

  const commit = (next: Row[]) => {
    setRows(next);
    const out = serialize(next);
    onChange(out === '{}' && next.length === 0 ? undefined : out);
  };
  const dupes = new Set(rows.map((r) => r.key).filter((k, i, all) => k && all.indexOf(k) !== i));

  return (
    <div className="kv" data-testid={`kv-${name}`}>
      {rows.map((r, i) => (
        <div className="kv-row" key={i}>
          <input
            placeholder="key"
            value={r.key}
            readOnly={readOnly}
            aria-label={`${name} key ${i + 1}`}
            className={dupes.has(r.key) ? 'invalid' : undefined}
            onChange={(e) => commit(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
          />
          <input
            placeholder="value"
            type={secretKeys?.has(r.key) ? 'password' : 'text'}
            autoComplete={secretKeys?.has(r.key) ? 'new-password' : undefined}
            value={r.value}
            readOnly={readOnly}
            aria-label={`${name} value ${i + 1}`}
            onChange={(e) => commit(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          {!readOnly && (
            <button type="button" className="btn ghost sm" aria-label={`Remove ${r.key || 'row'}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
              ✕
            </button>
          )}
        </div>
      ))}
      {dupes.size > 0 && <div className="field-error">Duplicate key: {[...dupes].join(', ')}</div>}
      {!readOnly && (
        <button type="button" className="btn sm" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          + Add entry
        </button>
      )}
    </div>
  );
}
