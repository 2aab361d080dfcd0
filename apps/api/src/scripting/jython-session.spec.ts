import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jythonHarness } from './jython.testing.js';

/** NiFi's ProcessSession and FlowFile API as Jython scripts call it, through ExecuteScript on the Pyodide pool. */
const seed = (name: string) => readFileSync(new URL(`./fixtures/${name}.py`, import.meta.url), 'utf8');
const lines = (...l: string[]) => l.join('\n') + '\n';

describe('Jython facade: session and FlowFile', () => {
  const h = jythonHarness();

  it('runs the Stock and Image Flow seed scripts unchanged through the processor', async () => {
    const stock = await h.run(seed('stock-flow-seed'), { inputs: [{ content: [{ sku: '1', stock: '3' }], attributes: { 'token.omnitron': 'o' } }] });
    expect(stock.success[0]!.contentJson()).toEqual([{ sku: '1', stock: '3' }]);
    const image = await h.run(seed('image-flow-seed'), { inputs: [{ content: [{ sku: 'x', images: [] }], attributes: { allVar: '{"token.erp": "e"}' } }] });
    expect(image.success[0]!.contentJson()).toEqual([{ sku: 'x', images: [] }]);
  });

  it('get(), get(n) and get(filter) take from the queue; get() is None when it is empty', async () => {
    const o = await h.run(
      lines(
        'from org.apache.nifi.processor.FlowFileFilter import FlowFileFilterResult',
        'first = session.get()',
        'batch = session.get(2)',
        "csvs = session.get(lambda ff: FlowFileFilterResult.ACCEPT_AND_CONTINUE if ff.getAttribute('filename').endswith('.csv') else FlowFileFilterResult.REJECT_AND_CONTINUE)",
        'rest = session.get(10)',
        'none = session.get()',
        "log.info('{} {} {} {} {}', [first.getAttribute('filename'), batch.size(), [f.getAttribute('filename') for f in csvs], rest.isEmpty(), none])",
        'session.transfer([first] + list(batch) + list(csvs) + list(rest), REL_SUCCESS)',
      ),
      { inputs: ['a.json', 'b.json', 'c.csv', 'd.json', 'e.csv'].map((filename) => ({ attributes: { filename } })) },
    );
    expect(o.logs).toContainEqual({ level: 'info', message: "a.json 2 ['e.csv'] false null" });
    expect(o.success.map((f) => f.getAttribute('filename')).sort()).toEqual(['a.json', 'b.json', 'c.csv', 'd.json', 'e.csv']);
  });

  it('create, create(parent), create(parents) and clone, with lineage and content as in NiFi', async () => {
    const o = await h.run(
      lines(
        'ff = session.get()',
        'other = session.get()',
        'child = session.putAttribute(session.create(ff), "kind", "child")',
        'joined = session.putAttribute(session.create([ff, other]), "kind", "joined")',
        'copy = session.putAttribute(session.clone(ff), "kind", "clone")',
        'part = session.putAttribute(session.clone(ff, 2, 3), "kind", "part")',
        'root = session.putAttribute(session.create(), "kind", "root")',
        'session.transfer([child, joined, copy, part, root], REL_SUCCESS)',
        'session.remove(ff)',
        'session.remove(other)',
      ),
      { inputs: [{ content: 'abcdefgh', attributes: { shared: 'yes', only: 'first' } }, { content: 'x', attributes: { shared: 'yes', only: 'second' } }] },
    );
    const by = (kind: string) => o.success.find((f) => f.getAttribute('kind') === kind)!;
    expect(by('child').attributes).toMatchObject({ shared: 'yes', only: 'first' });
    expect(by('child').size).toBe(0);
    expect(by('joined').attributes).toMatchObject({ shared: 'yes' });
    by('joined').assertAttributeNotExists('only');
    expect(by('joined').flowFile.parentUuids).toHaveLength(2);
    by('clone').assertContentEquals('abcdefgh');
    by('part').assertContentEquals('cde');
    by('root').assertAttributeEquals('filename', by('root').uuid);
    expect(by('root').flowFile.parentUuids).toEqual([]);
  });

  it('attributes: uuid cannot change, None is ignored, values become strings, removal by name, set, regex and Pattern', async () => {
    const o = await h.run(
      lines(
        'from java.util.regex import Pattern',
        'ff = session.get()',
        "ff = session.putAttribute(ff, 'uuid', 'mine')",
        "ff = session.putAttribute(ff, 'skipped', None)",
        "ff = session.putAllAttributes(ff, {'count': 3, 'ratio': 0.5, 'ok': True})",
        "ff = session.removeAttribute(ff, 'a')",
        "ff = session.removeAllAttributes(ff, set(['b']))",
        "ff = session.removeAllAttributes(ff, 'tmp\\..*')",
        "ff = session.removeAllAttributes(ff, Pattern.compile('old_.*'))",
        'session.transfer(ff, REL_SUCCESS)',
      ),
      { inputs: [{ attributes: { a: '1', b: '2', 'tmp.x': '3', 'tmp.y': '4', old_1: '5', keep: '6' } }] },
    );
    const out = o.success[0]!;
    expect(out.uuid).not.toBe('mine');
    expect(Object.keys(out.attributes).sort()).toEqual(['count', 'filename', 'keep', 'ok', 'path', 'ratio', 'uuid']);
    expect(out.attributes).toMatchObject({ count: '3', ratio: '0.5', ok: 'True' });
  });

  it('reads and writes with callback classes, plain functions, lambdas and the stream-returning forms', async () => {
    const o = await h.run(
      lines(
        'from org.apache.nifi.processor.io import InputStreamCallback, OutputStreamCallback, StreamCallback',
        'from org.apache.commons.io import IOUtils',
        'from java.io import ByteArrayOutputStream, ByteArrayInputStream',
        'class Upper(StreamCallback):',
        '    def process(self, i, o):',
        "        o.write(IOUtils.toString(i, 'UTF-8').upper())",
        'ff = session.get()',
        'seen = []',
        "session.read(ff, lambda stream: seen.append(IOUtils.toString(stream, 'UTF-8')))",
        'ff = session.write(ff, Upper())',
        "ff = session.append(ff, lambda out: out.write(bytearray(' tail'.encode('utf-8'))))",
        'stream = session.read(ff)',
        'seen.append(IOUtils.toString(stream))',
        'stream.close()',
        'copy = ByteArrayOutputStream()',
        'session.exportTo(ff, copy)',
        'other = session.create(ff)',
        "other = session.importFrom(ByteArrayInputStream(copy.toByteArray()), other)",
        'third = session.create(ff)',
        'out = session.write(third)',
        "out.write('streamed')",
        'out.close()',
        "log.info('|'.join(seen))",
        'session.transfer([ff, other, third], REL_SUCCESS)',
      ),
      { inputs: [{ content: 'hello' }] },
    );
    expect(o.logs).toContainEqual({ level: 'info', message: 'hello|HELLO tail' });
    expect(o.success.map((f) => f.contentText()).sort()).toEqual(['HELLO tail', 'HELLO tail', 'streamed']);
  });

  it('merge, penalize, transfer and remove lists; provenance and counters reach the session', async () => {
    const o = await h.run(
      lines(
        'ffs = session.get(3)',
        'merged = session.merge(ffs, session.create(ffs), "[", "]", ",")',
        'merged = session.penalize(merged)',
        "session.getProvenanceReporter().send(merged, 'https://omnitron.example/api/stock', 'merged')",
        "session.getProvenanceReporter().fetch(merged, 'erp://stock')",
        'session.getProvenanceReporter().route(merged, REL_SUCCESS)',
        "session.adjustCounter('merged', len(ffs), False)",
        'session.transfer(merged, REL_SUCCESS)',
        'session.remove(ffs)',
      ),
      { inputs: ['1', '2', '3'].map((content) => ({ content })) },
    );
    o.success[0]!.assertContentEquals('[1,2,3]');
    expect(o.success[0]!.isPenalized(o.runner.clock.now())).toBe(true);
    expect(o.runner.provenanceEvents().filter((e) => e.eventType === 'SEND' || e.eventType === 'FETCH').map((e) => e.transitUri)).toEqual(['https://omnitron.example/api/stock', 'erp://stock']);
    expect(o.runner.counter('merged')).toBe(3);
  });

  it("commit() keeps what was done when a later error fails the rest; it refuses FlowFiles without a relationship", async () => {
    const o = await h.run(
      lines(
        'first = session.get()',
        'session.transfer(session.putAttribute(first, "done", "yes"), REL_SUCCESS)',
        'session.commit()',
        'second = session.get()',
        "raise ValueError('row 2 is broken')",
      ),
      { inputs: [{ content: 'one' }, { content: 'two' }] },
    );
    o.success[0]!.assertAttributeEquals('done', 'yes');
    o.failure[0]!.assertContentEquals('two');
    expect(o.error).toContain("ValueError: row 2 is broken");
    const pending = await h.run(lines('ff = session.get()', 'session.commit()'), { inputs: [{ content: 'x' }] });
    expect(pending.error).toMatch(/FlowFileHandlingException: FlowFile\[uuid=ff-\d+,size=1\] transfer relationship not specified/);
  });

  it('rollback() hands the same FlowFiles out again, unchanged; rollback(True) leaves them penalized on the queue', async () => {
    const again = await h.run(
      lines(
        'ff = session.get()',
        "session.putAttribute(ff, 'dirty', 'yes')",
        "session.adjustCounter('tries', 1, False)",
        "session.adjustCounter('attempts', 1, True)",
        'session.rollback()',
        'ff = session.get()',
        "session.transfer(session.putAttribute(ff, 'dirty.after', str(ff.getAttribute('dirty'))), REL_SUCCESS)",
      ),
      { inputs: [{ content: 'x' }] },
    );
    again.success[0]!.assertAttributeEquals('dirty.after', 'None');
    expect([again.runner.counter('tries'), again.runner.counter('attempts')]).toEqual([0, 1]);
    const penalized = await h.run(lines('ff = session.get()', 'other = session.get()', 'session.rollback(True)'), { inputs: [{ content: 'a' }, { content: 'b' }] });
    expect(penalized.runner.queued().map((f) => [f.contentText(), f.isPenalized(penalized.runner.clock.now())])).toEqual([['a', true], ['b', true]]);
  });

  it('FlowFile getters and their Jython bean names', async () => {
    const o = await h.run(
      lines(
        'ff = session.get()',
        'q = session.getQueueSize()',
        "values = [ff.getSize(), ff.size, ff.getId() > 0, ff.getLineageStartDate(), ff.getEntryDate(), ff.isPenalized(), ff.attributes['a'], ff.getAttributes().get('a'), q.getObjectCount(), q.byteCount]",
        "log.info(','.join(str(v) for v in values))",
        'session.transfer(ff, REL_SUCCESS)',
      ),
      { inputs: [{ content: 'four', attributes: { a: 'x' } }, { content: 'queued' }] },
    );
    const now = o.runner.clock.now();
    expect(o.logs).toContainEqual({ level: 'info', message: `4,4,True,${now},${now},False,x,x,1,6` });
  });

  it('fails with a message naming what it cannot do: transfer without a relationship, unknown relationships, files', async () => {
    const none = await h.run(lines('ff = session.get()', 'session.transfer(ff)'), { inputs: [{}] });
    expect(none.error).toContain('transfer(flowFile) without a relationship puts the FlowFile back on its queue in NiFi');
    const retry = await h.run(
      lines('from org.apache.nifi.processor import Relationship', 'ff = session.get()', "session.transfer(ff, Relationship.Builder().name('retry').build())"),
      { inputs: [{}] },
    );
    expect(retry.error).toBe("Script transferred a FlowFile to 'retry'; ExecuteScript has only success and failure");
    const file = await h.run(lines('ff = session.get()', "session.importFrom('/data/in/stock.csv', ff)"), { inputs: [{}] });
    expect(file.error).toContain('session.importFrom(path, ...) reads a file on the NiFi host; scripts have no file system');
    const leftover = await h.run(lines('ff = session.get()'), { inputs: [{ content: 'x' }] });
    expect(leftover.error).toMatch(/1 FlowFile\(s\) were neither transferred nor removed/);
  });
});
