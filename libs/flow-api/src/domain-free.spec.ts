import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The processor contract knows no domain, as n8n-workflow or nifi-api know none: the words of the one domain Sluice
 * was first built for must not come back into its code. Comments may still name it as an example.
 */
const DOMAIN_WORDS = new Set(['sku', 'omnitron', 'integrator', 'erp', 'akinon']);

/** The words of identifiers and string or template texts in a source file; comments are not part of the syntax tree. */
function codeWords(source: string): Map<string, string> {
  const found = new Map<string, string>();
  const file = ts.createSourceFile('source.ts', source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    let text: string | null = null;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) text = node.text;
    else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) text = node.text;
    if (text !== null) {
      // `rowSku`, `ROW_SKU`, `row-sku` and `row sku` all hold the word `sku`; `interpret` holds no `erp`.
      for (const w of text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/)) {
        if (DOMAIN_WORDS.has(w.toLowerCase())) found.set(w.toLowerCase(), text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('flow-api is domain-free', () => {
  it('finds domain words in code, whatever their case and joins, and not in comments or other words', () => {
    const found = codeWords(`
      // An Integrator row log names the SKU.
      /** Omnitron */
      export interface RowLog { readonly rowSku: string; readonly status: 'ERP_FAILED' }
      const interpret = \`omnitron-\${1}\`;
    `);
    expect([...found.keys()].sort()).toEqual(['erp', 'omnitron', 'sku']);
    expect(codeWords('// sku, Integrator\nconst supersede = "interpreted";').size).toBe(0);
  });

  it('has none in its sources', () => {
    const hits = sources(join(import.meta.dirname, '.')).flatMap((path) => [...codeWords(readFileSync(path, 'utf8'))].map(([word, text]) => `${path}: '${text}' (${word})`));
    expect(hits).toEqual([]);
  });
});
