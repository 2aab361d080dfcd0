import 'reflect-metadata';
import { type DynamicModule, type ForwardReference, Module, type Type, forwardRef } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule, FEATURE_MODULES } from './app.module.js';
import { createApp } from './app.js';
import { loadConfig } from './config/app-config.js';
import { testDatabase, type TestDatabase } from './testing/test-database.js';

type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

function unwrap(ref: ModuleRef): { module: Type; imports: ModuleRef[] } | null {
  if (ref instanceof Promise) return null;
  if ('forwardRef' in ref) return unwrap(ref.forwardRef() as ModuleRef);
  if ('module' in ref) return { module: ref.module, imports: [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, ref.module) as ModuleRef[] | undefined) ?? []), ...(ref.imports ?? [])] };
  return { module: ref, imports: (Reflect.getMetadata(MODULE_METADATA.IMPORTS, ref) as ModuleRef[] | undefined) ?? [] };
}

/** The first import cycle reachable from `root`, as the module names along it, or null. */
export function importCycle(root: ModuleRef): string[] | null {
  const done = new Set<Type>();
  const path: Type[] = [];
  const visit = (ref: ModuleRef): string[] | null => {
    const node = unwrap(ref);
    if (!node || done.has(node.module)) return null;
    const at = path.indexOf(node.module);
    if (at >= 0) return [...path.slice(at), node.module].map((m) => m.name);
    path.push(node.module);
    for (const next of node.imports) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node.module);
    return null;
  };
  return visit(root);
}

function providerTokens(module: Type): unknown[] {
  const providers = (Reflect.getMetadata(MODULE_METADATA.PROVIDERS, module) as unknown[] | undefined) ?? [];
  return providers.map((p) => (typeof p === 'function' ? p : (p as { provide: unknown }).provide)).filter((t) => typeof t !== 'string' || !t.startsWith('APP_'));
}

describe('AppModule', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-modules-'));
  let db: TestDatabase;
  let app: NestExpressApplication;

  beforeAll(async () => {
    db = await testDatabase(dataDir);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SLUICE_DATA_DIR: dataDir, SLUICE_ADMIN_PASSWORD: 'admin-password-for-tests', SLUICE_LOG_LEVEL: 'error', SLUICE_SCRIPT_WARMUP: 'false', ...db.env });
    app = await createApp(config);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compiles, and every feature module resolves each of its own providers', () => {
    for (const module of FEATURE_MODULES) {
      const tokens = providerTokens(module);
      for (const token of tokens) {
        expect(app.select(module).get(token as Type, { strict: true }), `${module.name} provides ${String((token as Type).name ?? token)}`).toBeDefined();
      }
    }
    // Guards and interceptors registered as APP_* are filtered out above; every feature module still owns something.
    expect(FEATURE_MODULES.filter((m) => providerTokens(m).length === 0 && ((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m) as unknown[] | undefined) ?? []).length === 0)).toEqual([]);
  });

  it('has no cycle in its module imports', () => {
    const root = AppModule.forRoot(loadConfig({ SLUICE_DATA_DIR: dataDir, SLUICE_ADMIN_PASSWORD: 'x'.repeat(16) }));
    expect(importCycle(root)).toBeNull();
  });

  it('the cycle scan finds a cycle hidden behind forwardRef', () => {
    class First {}
    class Second {}
    class Wrapper {}
    class Root {}
    Module({ imports: [forwardRef(() => Second)] })(First);
    Module({ imports: [forwardRef(() => First)] })(Second);
    Module({ imports: [{ module: Wrapper, imports: [First] }] })(Root);
    expect(importCycle(Root)).toEqual(['First', 'Second', 'First']);
  });
});
