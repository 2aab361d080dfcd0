import { fromUtf8, utf8, type FlowFile } from '@sluice/flow-api';

export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailure';
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A transferred FlowFile with its content, plus NiFi-mock style assertions. */
export class MockFlowFile {
  constructor(
    readonly flowFile: FlowFile,
    readonly content: Uint8Array,
  ) {}

  get uuid(): string {
    return this.flowFile.uuid;
  }

  get attributes(): Readonly<Record<string, string>> {
    return this.flowFile.attributes;
  }

  get size(): number {
    return this.flowFile.size;
  }

  getAttribute(name: string): string | undefined {
    return this.flowFile.attributes[name];
  }

  contentText(): string {
    return fromUtf8(this.content);
  }

  contentJson<T = unknown>(): T {
    try {
      return JSON.parse(this.contentText()) as T;
    } catch (e) {
      throw new AssertionFailure(`FlowFile ${this.uuid}: content is not JSON (${(e as Error).message}): ${this.contentText().slice(0, 200)}`);
    }
  }

  assertAttributeEquals(name: string, expected: string | number | boolean): void {
    const actual = this.flowFile.attributes[name];
    if (actual !== String(expected)) throw new AssertionFailure(`attribute '${name}': expected '${expected}' but was ${actual === undefined ? 'absent' : `'${actual}'`}`);
  }

  assertAttributeExists(name: string): void {
    if (!(name in this.flowFile.attributes)) throw new AssertionFailure(`attribute '${name}' is absent`);
  }

  assertAttributeNotExists(name: string): void {
    if (name in this.flowFile.attributes) throw new AssertionFailure(`attribute '${name}' is present: '${this.flowFile.attributes[name]}'`);
  }

  assertContentEquals(expected: string | Uint8Array): void {
    const bytes = typeof expected === 'string' ? utf8(expected) : expected;
    if (!equalBytes(bytes, this.content)) {
      throw new AssertionFailure(`content differs: expected ${JSON.stringify(fromUtf8(bytes).slice(0, 200))} but was ${JSON.stringify(this.contentText().slice(0, 200))}`);
    }
  }

  isPenalized(now: number): boolean {
    return this.flowFile.penaltyExpiration > now;
  }
}
