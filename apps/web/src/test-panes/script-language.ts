/**
 * Which runtime the script pane uses for a processor's engine value: NiFi stores `python` (or our `Jython` alias)
 * for Jython and `ECMAScript` for its JavaScript engine.
 */
export function scriptLanguage(engine: string, editor: string | undefined): 'python' | 'javascript' {
  const e = engine.toLowerCase();
  if (/python|jython/.test(e)) return 'python';
  if (e) return 'javascript';
  return editor === 'python' ? 'python' : 'javascript';
}
