import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultValues, defineProcessor, errorAttributes, exposedProperty, failureRelationships, hasRole, relationshipsFor,
  type ProcessorDefinition, type ProcessorRole, type PropertyDescriptor,
} from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { getProcessor, PROCESSOR_CATEGORIES, processorCatalogue, processorDescriptors } from './registry.js';

/**
 * Finds, in the sources of a processor, every property it reads by a name the compiler cannot check: string
 * names (`ctx.property('Page Size')`, a name constant, a name map's member), handle indexes (`PROPS[NAME]`),
 * shared handles (`ctx.get(RETRY_COUNT)`) and controller-service properties. Names held in variables at run
 * time (dynamic properties) are left to the context, which throws for an undeclared one.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

const isSource = (f: string) => f.endsWith('.ts') && !/\.(spec|testing|bench)\.ts$/.test(f);

function constantsOf(text: string, into: Map<string, string>): void {
  for (const [, k, v] of text.matchAll(/(?:export )?const (\w+) = '([^']*)'/g)) into.set(k!, v!);
  for (const [, obj, body] of text.matchAll(/const (\w+) = \{([^}]*)\}/g)) {
    for (const [, k, v] of body!.matchAll(/(\w+): '([^']*)'/g)) into.set(`${obj}.${k}`, v!);
  }
  for (const [, alias, target] of text.matchAll(/const (\w+) = (\w+);/g)) {
    for (const [k, v] of [...into]) if (k.startsWith(`${target}.`)) into.set(`${alias}${k.slice(target!.length)}`, v);
  }
  for (const [, k, v] of text.matchAll(/const (\w+) = propertyHandle\(\{\s*name: '([^']*)'/g)) into.set(`handle:${k}`, v!);
}

/** The processor's own directory and the modules it imports from other directories of the library. */
function sourcesOf(dir: string): string[] {
  const own = readdirSync(join(SRC, dir)).filter(isSource).map((f) => join(SRC, dir, f));
  const out = new Set(own);
  for (const file of own) {
    for (const [, rel] of readFileSync(file, 'utf8').matchAll(/from '(\.\.\/[^']+)\.js'/g)) {
      const target = normalize(join(dirname(file), `${rel}.ts`));
      // Controller services read their own properties; the catalogue of services is checked on its own.
      // Another processor's file declares its own properties.
      if (existsSync(target) && !target.endsWith('.service.ts') && !target.endsWith('.processor.ts') && !readFileSync(target, 'utf8').includes('ControllerServiceContext')) out.add(target);
    }
  }
  return [...out];
}

interface PropertyRead {
  readonly file: string;
  readonly name: string;
}

function propertyReads(dir: string): PropertyRead[] {
  const files = sourcesOf(dir);
  const constants = new Map<string, string>();
  for (const f of files) constantsOf(readFileSync(f, 'utf8'), constants);
  const reads: PropertyRead[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // A file's own constants first: helpers it imports may name a different `P.x`.
    const own = new Map<string, string>();
    constantsOf(text, own);
    const resolve = (expr: string): string | undefined => {
      const e = expr.trim();
      const literal = /^'([^']*)'$/.exec(e) ?? /^"([^"]*)"$/.exec(e);
      return literal ? literal[1] : (own.get(e) ?? constants.get(e));
    };
    const add = (expr: string) => {
      const name = resolve(expr);
      if (name !== undefined) reads.push({ file: file.slice(SRC.length + 1), name });
    };
    for (const [, e] of text.matchAll(/\.(?:property|controllerService)\(([^(),]+)[,)]/g)) add(e!);
    for (const [, e] of text.matchAll(/\bPROPS\[([^\]]+)\]/g)) add(e!);
    for (const [, e] of text.matchAll(/\.get\((\w+)[,)]/g)) {
      const name = own.get(`handle:${e}`) ?? constants.get(`handle:${e}`);
      if (name !== undefined) reads.push({ file: file.slice(SRC.length + 1), name });
    }
  }
  return reads;
}

/** The directory whose `*.processor.ts` declares the processor type. */
function processorDirectory(type: string): string | undefined {
  // One processor per directory, named after it (HandleHttpResponse → handle-http-response); the search below is for the rest.
  const named = type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
  if (existsSync(join(SRC, named)) && readdirSync(join(SRC, named)).some((f) => f.endsWith('.processor.ts') && readFileSync(join(SRC, named, f), 'utf8').includes(`type: '${type}'`))) return named;
  for (const dir of readdirSync(SRC, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(SRC, dir.name))) {
      if (f.endsWith('.processor.ts') && readFileSync(join(SRC, dir.name, f), 'utf8').includes(`type: '${type}'`)) return dir.name;
    }
  }
  return undefined;
}

/**
 * What every registered processor owes the designer and the engine, checked for the whole catalogue so a new
 * processor cannot skip it: a descriptor that survives JSON (it travels to the web as data), passes the load-time
 * checks, documents every property and relationship, and describes a form that can be rendered and submitted
 * from its defaults.
 */
const WIDGETS_BY_TYPE: Record<PropertyDescriptor['type'], readonly (PropertyDescriptor['editor'] | undefined)[]> = {
  string: [undefined, 'text', 'textarea', 'el', 'password', 'cron', 'json'],
  integer: [undefined, 'text', 'el'],
  number: [undefined, 'text', 'el'],
  boolean: [undefined],
  enum: [undefined],
  duration: [undefined, 'text', 'el'],
  dataSize: [undefined, 'text', 'el'],
  json: [undefined, 'json', 'jolt', 'textarea'],
  dict: [undefined, 'keyValue'],
  code: ['python', 'javascript', 'json', 'jolt', 'textarea', 'el'],
};

const ROLES: readonly ProcessorRole[] = ['login', 'row-writer', 'script'];

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

describe('the processor catalogue', () => {
  it('registers each type once and finds it by type', () => {
    const types = processorCatalogue.map((p) => p.descriptor.type);
    expect(new Set(types).size).toBe(types.length);
    for (const p of processorCatalogue) expect(getProcessor(p.descriptor.type)).toBe(p);
    expect(processorDescriptors()).toEqual(processorCatalogue.map((p) => p.descriptor));
    expect(getProcessor('NoSuchProcessor')).toBeUndefined();
  });

  describe.each(processorCatalogue.map((p) => [p.descriptor.type, p] as [string, ProcessorDefinition]))('%s', (_type, processor) => {
    const d = processor.descriptor;

    it('has a descriptor that is plain JSON and passes the load-time checks', () => {
      const copy = JSON.parse(JSON.stringify(d));
      expect(copy).toEqual(d);
      expect(() => defineProcessor({ ...processor, descriptor: copy })).not.toThrow();
      expect(d.version).toBeGreaterThanOrEqual(1);
      expect(d.tags.every((t) => !blank(t))).toBe(true);
      expect(PROCESSOR_CATEGORIES, 'category').toContain(d.category);
    });

    it('documents the processor, every property, relationship and attribute', () => {
      expect(blank(d.displayName) || blank(d.description)).toBe(false);
      for (const p of d.properties) {
        expect(blank(p.displayName), `${p.name}: displayName`).toBe(false);
        expect(blank(p.description), `${p.name}: description`).toBe(false);
        for (const v of p.allowableValues ?? []) expect(blank(v.displayName), `${p.name}=${v.value}: displayName`).toBe(false);
      }
      for (const r of d.relationships) expect(blank(r.description), `relationship ${r.name}`).toBe(false);
      for (const a of [...(d.readsAttributes ?? []), ...(d.writesAttributes ?? [])]) expect(blank(a.description), `attribute ${a.name}`).toBe(false);
      if (d.dynamicProperties) expect(blank(d.dynamicProperties.description)).toBe(false);
      if (d.dynamicRelationships) expect(blank(d.dynamicRelationships.description)).toBe(false);
    });

    it('describes a form the designer can render: a widget for each type, defaults among the choices, conditions on real fields', () => {
      const byName = new Map(d.properties.map((p) => [p.name, p]));
      for (const p of d.properties) {
        expect(WIDGETS_BY_TYPE[p.type], `${p.name}: type ${p.type}`).toBeDefined();
        expect(WIDGETS_BY_TYPE[p.type], `${p.name}: editor ${p.editor} for a ${p.type}`).toContain(p.editor);
        if (p.type === 'enum' && p.default !== undefined) expect(p.allowableValues!.map((v) => v.value), `${p.name}: default`).toContain(p.default);
        if (p.type === 'boolean' && p.default !== undefined) expect(['true', 'false'], `${p.name}: default`).toContain(p.default);
        if (p.sensitive) expect(p.default, `${p.name}: a sensitive property has no default`).toBeUndefined();
        for (const c of p.dependsOn ?? []) {
          const on = byName.get(c.property);
          expect(on, `${p.name} depends on unknown property '${c.property}'`).toBeDefined();
          if (on!.allowableValues && c.values) for (const v of c.values) expect(on!.allowableValues.map((a) => a.value), `${p.name} depends on ${c.property}=${v}`).toContain(v);
        }
      }
      for (const r of d.relationships) if (r.when) expect(byName.has(r.when.property), `relationship ${r.name} depends on '${r.when.property}'`).toBe(true);
    });

    it('accepts its own defaults: only properties without a default can still be missing', () => {
      const defaults = defaultValues(d);
      for (const [name, value] of Object.entries(defaults)) {
        const issues = new TestRunner(processor).setProperty(name, value).validate().filter((i) => i.property === name);
        expect(issues, `default of ${name}`).toEqual([]);
      }
      const issues = new TestRunner(processor).validate();
      for (const i of issues) {
        expect(i.code, `${i.property}: ${i.message}`).toBe('required');
        expect(defaults[i.property ?? '']).toBeUndefined();
      }
      expect(relationshipsFor(d, defaults).every((r) => d.relationships.includes(r))).toBe(true);
    });

    it('reads only the properties it declares (a misspelt name would read as unset)', () => {
      const dir = processorDirectory(d.type);
      expect(dir, `the *.processor.ts declaring ${d.type}`).toBeDefined();
      const declared = new Set(d.properties.map((p) => p.name));
      const reads = propertyReads(dir!);
      expect(reads.length, 'property reads found in its sources').toBeGreaterThan(d.properties.length > 0 ? 0 : -1);
      for (const r of reads) expect(declared.has(r.name), `${r.file} reads '${r.name}'`).toBe(true);
    });

    it('declares what its outcomes mean: failure routes, the attributes that say why, its roles', () => {
      const failures = failureRelationships(d);
      // NiFi's convention, now a flag: a route called failure is one.
      for (const r of d.relationships) if (r.name.toLowerCase() === 'failure') expect(r.failure, `relationship ${r.name}`).toBe(true);
      const errors = errorAttributes(d);
      if (errors.length > 0) expect(failures.size, 'error attributes without a failure relationship').toBeGreaterThan(0);
      for (const a of d.writesAttributes ?? []) {
        if (/([._]error(\.message)?|\.exception\.message)$/.test(a.name)) expect(a.error, `attribute ${a.name} names a reason`).toBe(true);
      }
      expect(new Set(d.roles ?? []).size, 'roles listed once').toBe((d.roles ?? []).length);
      for (const role of d.roles ?? []) expect(ROLES, 'role').toContain(role);
      for (const p of d.properties) if (p.exposedAs !== undefined) expect(p.exposedAs, `${p.name}: exposedAs`).toMatch(/^[a-z]+(\.[a-z]+)+$/);
      if (hasRole(d, 'login')) {
        for (const meaning of ['target.url', 'target.username', 'target.password']) expect(exposedProperty(d, meaning), meaning).toBeDefined();
      }
      if (hasRole(d, 'row-writer')) {
        expect(d.sideEffects?.writes, 'a row-writer writes to another system').toBe(true);
        const defaults = defaultValues(d);
        expect(processor.checkRow!('not a row', defaults), 'refuses a row that is not an object').toMatchObject({ field: null });
      }
      if (hasRole(d, 'script')) expect(d.userTransform, 'a script step reshapes content by user logic').toBe(true);
    });

    it('loads into the TestRunner with its relationships known', () => {
      const runner = new TestRunner(processor);
      for (const r of relationshipsFor(d, {})) expect(runner.flowFilesFor(r.name)).toEqual([]);
      expect(() => runner.flowFilesFor('no-such-relationship')).toThrow(/has no relationship/);
    });
  });
});
