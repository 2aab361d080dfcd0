import { describe, expect, it } from 'vitest';
import { scriptLanguage } from './script-language.js';

describe('scriptLanguage', () => {
  it("maps NiFi's engine names to the pane's runtimes", () => {
    expect(['python', 'Jython', 'javascript', 'ECMAScript'].map((e) => scriptLanguage(e, 'python'))).toEqual(['python', 'python', 'javascript', 'javascript']);
    expect([scriptLanguage('', 'python'), scriptLanguage('', 'javascript'), scriptLanguage('', undefined)]).toEqual(['python', 'javascript', 'javascript']);
  });
});
