import { createContext, useContext, type ComponentType } from 'react';

export type CodeLanguage = 'python' | 'javascript' | 'json' | 'jolt' | 'el';

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  language: CodeLanguage;
  readOnly?: boolean;
  /** Pixel height; EL fields grow from a single line. */
  height?: number;
  ariaLabel?: string;
  /** Problems to mark in the text (a syntax error at its line and column). */
  markers?: readonly CodeMarker[];
}

export interface CodeMarker {
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Plain fallback, used where Monaco is not loaded (component tests, or before the editor bundle arrives). */
export function PlainCodeEditor({ value, onChange, readOnly, height, ariaLabel, language }: CodeEditorProps) {
  return (
    <textarea
      className="code-fallback"
      value={value}
      readOnly={readOnly}
      aria-label={ariaLabel}
      data-language={language}
      spellCheck={false}
      style={{ height: height ?? (language === 'el' ? 34 : 160) }}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** The form asks this slot for a code editor, so it stays free of Monaco; the designer provides the Monaco one. */
export const CodeEditorSlot = createContext<ComponentType<CodeEditorProps>>(PlainCodeEditor);
export const useCodeEditor = () => useContext(CodeEditorSlot);
