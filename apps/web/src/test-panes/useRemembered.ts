import { useEffect, useState } from 'react';

const PREFIX = 'sluice.pane.';

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/**
 * State a test pane keeps across tab switches and reloads (in this browser), per flow and processor: what the user
 * typed is still there when they come back. Values above 256 KB are not kept.
 */
export function useRemembered<T>(key: string, fallback: T): [T, (v: T) => void, boolean] {
  const [value, setValue] = useState<T>(() => read(key, fallback));
  const [stored, setStored] = useState(() => localStorage.getItem(PREFIX + key) !== null);
  useEffect(() => {
    setValue(read(key, fallback));
    setStored(localStorage.getItem(PREFIX + key) !== null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const set = (v: T) => {
    setValue(v);
    try {
      const text = JSON.stringify(v);
      if (text.length <= 256 * 1024) {
        localStorage.setItem(PREFIX + key, text);
        setStored(true);
      }
    } catch {
      // storage full or disabled: the value still lives for this visit
    }
  };
  return [value, set, stored];
}
