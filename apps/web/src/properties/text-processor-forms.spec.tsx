/**
 * The designer's forms for the JSON and text processors, rendered from their real descriptors (as GET
 * /api/processor-types serves them; this spec reads them from the catalogue, the app itself never does): every
 * visible property has its field, filling a field runs the shared validation, and the server's cross-property
 * checks show up beside the field they name.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/react';
import { addDynamic, alerts, definition, field, input, ProcessorFormHarness as Harness } from './form-harness.testing.js';

const TYPES = ['EvaluateJsonPath', 'AttributesToJSON', 'ReplaceText', 'ExtractText', 'RouteOnContent', 'SplitText', 'RouteText', 'CompressContent'];

describe('forms of the JSON and text processors', () => {
  it.each(TYPES)('%s renders a field for every property whose condition holds', (type) => {
    render(<Harness type={type} />);
    const { properties } = definition(type).descriptor;
    const visible = properties.filter((p) => !p.dependsOn);
    expect(visible.length).toBeGreaterThan(0);
    for (const p of visible) expect(field(p.name), `${type}.${p.name}`).not.toBeNull();
  });

  it('EvaluateJsonPath: asks for exactly one path, refuses a bad one, accepts a good one', () => {
    render(<Harness type="EvaluateJsonPath" />);
    expect(document.body.textContent).toContain('Exactly one JsonPath must be set');
    addDynamic('order.id', '$.order[');
    expect(alerts('order.id').join()).toContain('specified expression was not valid');
    fireEvent.change(input('order.id'), { target: { value: '$.order.id' } });
    expect(alerts('order.id')).toEqual([]);
    expect(document.body.textContent).not.toContain('Exactly one JsonPath');
    expect(field('Path Not Found Behavior')).toBeNull();
    fireEvent.change(input('Destination'), { target: { value: 'flowfile-attribute' } });
    expect(field('Path Not Found Behavior')).not.toBeNull();
  });

  it('AttributesToJSON: shows Pretty Print for content only, and checks the regex', () => {
    render(<Harness type="AttributesToJSON" />);
    expect(field('Pretty Print')).toBeNull();
    fireEvent.change(input('Destination'), { target: { value: 'flowfile-content' } });
    expect(field('Pretty Print')).not.toBeNull();
    fireEvent.change(input('Attributes Regular Expression'), { target: { value: '(a+)+' } });
    expect(alerts('Attributes Regular Expression')).toEqual([]);
    fireEvent.change(input('Attributes Regular Expression'), { target: { value: '(a+)+\\1' } });
    expect(alerts('Attributes Regular Expression').join()).toMatch(/exponential time, and it uses a back reference/);
  });

  it('ReplaceText: switches fields with the strategy and validates the search regex', () => {
    render(<Harness type="ReplaceText" />);
    expect(field('Search Value')).not.toBeNull();
    fireEvent.change(input('Maximum Buffer Size'), { target: { value: 'lots' } });
    expect(alerts('Maximum Buffer Size').join()).toContain('is not a data size');
    fireEvent.change(input('Maximum Buffer Size'), { target: { value: '2 MB' } });
    expect(alerts('Maximum Buffer Size')).toEqual([]);
    fireEvent.change(input('Replacement Strategy'), { target: { value: 'Surround' } });
    expect(field('Search Value')).toBeNull();
    expect(field('Text to Prepend')).not.toBeNull();
    expect(field('Text to Prepend')!.textContent).toContain('Text to Prepend is required');
    fireEvent.change(input('Replacement Strategy'), { target: { value: 'Regex Replace' } });
    expect(field('Search Value')!.querySelector('[data-language="el"]')).not.toBeNull();
  });

  it('ExtractText: refuses unsupported flags and checks each pattern', () => {
    render(<Harness type="ExtractText" />);
    fireEvent.change(input('Enable Unix Lines Mode'), { target: { value: 'true' } });
    expect(alerts('Enable Unix Lines Mode').join()).toContain('is not supported');
    fireEvent.change(input('Enable Unix Lines Mode'), { target: { value: 'false' } });
    addDynamic('sku', 'sku=(\\w+');
    expect(alerts('sku')).not.toEqual([]);
    fireEvent.change(input('sku'), { target: { value: 'sku=(\\w+)' } });
    expect(alerts('sku')).toEqual([]);
  });

  it('RouteOnContent: a rule may not be named unmatched', () => {
    render(<Harness type="RouteOnContent" />);
    addDynamic('unmatched', 'x');
    expect(alerts('unmatched').join()).toContain('choose another name');
  });

  it('SplitText: needs a Line Split Count, and a size when it is 0', () => {
    render(<Harness type="SplitText" />);
    expect(field('Line Split Count')!.textContent).toContain('Line Split Count is required');
    fireEvent.change(input('Line Split Count'), { target: { value: 'ten' } });
    expect(alerts('Line Split Count').join()).toContain('is not a whole number');
    fireEvent.change(input('Line Split Count'), { target: { value: '0' } });
    expect(alerts('Maximum Fragment Size').join()).toContain('must be specified when Line Split Count is 0');
    fireEvent.change(input('Maximum Fragment Size'), { target: { value: '1 MB' } });
    expect(alerts('Maximum Fragment Size')).toEqual([]);
  });

  it('RouteText: needs a Matching Strategy and a condition', () => {
    render(<Harness type="RouteText" />);
    expect(field('Matching Strategy')!.textContent).toContain('Matching Strategy is required');
    fireEvent.change(input('Matching Strategy'), { target: { value: 'Starts With' } });
    expect(document.body.textContent).toContain('there must be dynamic properties to match against');
    addDynamic('comments', '#');
    expect(document.body.textContent).not.toContain('there must be dynamic properties');
  });

  it('CompressContent: refuses formats the server cannot code, and shows the level for compress only', () => {
    render(<Harness type="CompressContent" />);
    fireEvent.change(input('Compression Format'), { target: { value: 'zstd' } });
    expect(alerts('Compression Format').join()).toContain("'zstd' is not supported");
    fireEvent.change(input('Compression Format'), { target: { value: 'gzip' } });
    expect(alerts('Compression Format')).toEqual([]);
    expect(field('Compression Level')).not.toBeNull();
    fireEvent.change(input('Mode'), { target: { value: 'decompress' } });
    expect(field('Compression Level')).toBeNull();
    expect(field('Maximum Decompressed Size')).not.toBeNull();
  });
});
