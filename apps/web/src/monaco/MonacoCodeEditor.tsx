import { useEffect, useId, useRef, useState } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import type * as Monaco from 'monaco-editor/editor';
import { monaco } from './monaco-setup.js';
import { EL_LANGUAGE, updateElMarkers } from './el-language.js';
import type { CodeEditorProps } from '../properties/code-editor-slot.js';
import { useResolvedTheme } from '../ui/theme.js';

const LANGUAGE: Record<CodeEditorProps['language'], string> = {
  python: 'python',
  javascript: 'javascript',
  json: 'json',
  jolt: 'json',
  el: EL_LANGUAGE,
};

/** Monaco, bundled locally, behind the form's CodeEditor slot. */
export function MonacoCodeEditor({ value, onChange, language, readOnly, height, ariaLabel, markers }: CodeEditorProps) {
  const theme = useResolvedTheme();
  const uid = useId().replace(/[^\w]/g, '');
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const [mounted, setMounted] = useState(false);
  const el = language === 'el';

  // The form's problems with a place (a script's syntax error) as markers: squiggles, the ruler, and a hover.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || el) return;
    monaco.editor.setModelMarkers(
      model,
      'sluice',
      (markers ?? []).map((m) => {
        const line = Math.min(Math.max(1, m.line), model.getLineCount());
        const column = Math.max(1, m.column ?? 1);
        return {
          severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: m.message,
          startLineNumber: line,
          startColumn: column,
          endLineNumber: line,
          endColumn: Math.max(column + 1, model.getLineMaxColumn(line)),
        };
      }),
    );
  }, [markers, mounted, el, value]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    setMounted(true);
    const model = editor.getModel();
    if (el && model) {
      updateElMarkers(monaco, model);
      editor.onDidChangeModelContent(() => updateElMarkers(monaco, model));
    }
  };

  return (
    <div className="monaco-wrap" style={{ height: height ?? 200 }} data-language={language} aria-label={ariaLabel}>
      <Editor
        value={value}
        language={LANGUAGE[language]}
        // Jolt completion keys off the model path; one model per mounted editor.
        path={`${language === 'jolt' ? 'jolt' : language}/${uid}.${language === 'jolt' || language === 'json' ? 'json' : 'txt'}`}
        onChange={(v) => onChange(v ?? '')}
        onMount={onMount}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 12,
          lineNumbers: el ? 'off' : 'on',
          glyphMargin: false,
          folding: !el,
          lineDecorationsWidth: el ? 4 : 8,
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          wordWrap: el ? 'on' : 'off',
          automaticLayout: true,
          tabSize: language === 'python' ? 4 : 2,
          renderLineHighlight: el ? 'none' : 'line',
          overviewRulerLanes: 0,
          scrollbar: { verticalScrollbarSize: 8, horizontalScrollbarSize: 8 },
          fixedOverflowWidgets: true,
          ariaLabel,
        }}
      />
    </div>
  );
}
