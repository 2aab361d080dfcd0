/**
 * Administration in the browser: users and roles, every flow's API keys, a flow's parameters with set-only secrets,
 * the server settings; and for a viewer, the actions their role cannot take are disabled with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ApiKeyDto, FlowDto, UserDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, shot, signIn } from './browser-harness.js';

const SECRET = 'omni-very-secret-77';

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];

const users = async () => json<UserDto[]>(await api.request('/api/users'));

describe('administration screens (Chromium)', () => {
  beforeAll(async () => {
    api = await startApi({ web: true, env: { SLUICE_RETENTION: '14 days' } });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await signIn(page, 'admin', api.adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('adds a user, changes their role and password (ending their sessions), and keeps the last admin', async () => {
    await page.click('.topbar-nav a:has-text("Users")');
    await page.waitForURL(/\/users$/);
    await page.waitForSelector('[data-testid=users] tr[data-user=admin]');
    // The only admin: neither demotable nor deletable, and the page says why.
    const adminRow = page.locator('tr[data-user=admin]');
    expect(await adminRow.locator('button:has-text("Delete")').isDisabled()).toBe(true);
    expect(await adminRow.locator('button:has-text("Delete")').getAttribute('title')).toContain('The last admin cannot be demoted or deleted');
    expect(await adminRow.locator('option[value=viewer]').isDisabled()).toBe(true);

    await page.fill('.admin-form input:not([type=password])', 'ops');
    await page.fill('.admin-form input[type=password]', 'ops-password-1');
    await page.selectOption('.admin-form select', 'editor');
    await page.click('.admin-form button:has-text("Add user")');
    await page.waitForSelector('tr[data-user=ops]');
    expect((await users()).find((u) => u.username === 'ops')?.role).toBe('editor');
    const opsToken = await api.login('ops', 'ops-password-1');

    await page.selectOption('select[aria-label="Role of ops"]', 'viewer');
    await page.waitForSelector('[role=status]:has-text("ops is now viewer")');
    expect((await users()).find((u) => u.username === 'ops')?.role).toBe('viewer');
    expect((await api.request('/api/flows', { token: opsToken })).status).toBe(401);

    await page.click('tr[data-user=ops] button:has-text("Set password")');
    await page.fill('input[aria-label="New password for ops"]', 'ops-password-2');
    await page.click('tr[data-user=ops] button:has-text("Set")');
    await page.waitForSelector('[role=status]:has-text("The password of ops changed")');
    await expect(api.login('ops', 'ops-password-1')).rejects.toThrow();
    expect(await api.login('ops', 'ops-password-2')).toBeTruthy();

    // A refused change is shown where it was made, not swallowed.
    await page.fill('.admin-form input:not([type=password])', 'ops');
    await page.fill('.admin-form input[type=password]', 'another-password-1');
    await page.click('.admin-form button:has-text("Add user")');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toMatch(/ops/i);
    await shot(page, 'admin-users');

    await page.click('tr[data-user=ops] button:has-text("Delete")');
    await page.click('.modal [data-testid=confirm]');
    await page.waitForSelector('tr[data-user=ops]', { state: 'detached' });
    expect((await users()).map((u) => u.username)).not.toContain('ops');
  });

  it("creates an outbound flow's API key once, lists it with its flow, and revokes it", async () => {
    const flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-outbound', name: 'Keys outbound' } }));
    await page.click('.topbar-nav a:has-text("API keys")');
    await page.waitForURL(/\/api-keys$/);
    await page.waitForSelector(`select[aria-label="Flow of the new key"] option[value="${flow.id}"]`, { state: 'attached' });
    await page.selectOption('select[aria-label="Flow of the new key"]', flow.id);
    await page.fill('input[aria-label="Name of the new key"]', 'ERP main');
    await page.click('.admin-form button:has-text("Create key")');
    const key = await page.inputValue('[data-testid=created-api-key] input');
    expect(key).toMatch(/^slk_/);
    await page.waitForSelector('[data-testid=all-api-keys] tr[data-key="ERP main"]');
    expect(await page.textContent('tr[data-key="ERP main"]')).toContain('Keys outbound');
    // Only the prefix is readable in the list.
    expect(await page.textContent('[data-testid=all-api-keys]')).not.toContain(key);
    const listed = await json<ApiKeyDto[]>(await api.request('/api/api-keys'));
    expect(listed.some((k) => k.flowId === flow.id && k.name === 'ERP main')).toBe(true);

    const outbound = () => fetch(`${api.url}/api/outbound/${flow.id}`, { method: 'POST', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: '{"not": "a batch"}' });
    expect((await outbound()).status).toBe(400);
    await page.click('tr[data-key="ERP main"] button:has-text("Revoke")');
    await page.click('.modal [data-testid=confirm]');
    await page.waitForSelector('tr[data-key="ERP main"]', { state: 'detached' });
    expect((await outbound()).status).toBe(401);
  });

  it("edits a flow's parameters on their page: a sensitive value is never shown, kept when untouched, replaced unseen", async () => {
    const created = await json<FlowDto>(
      await api.request('/api/flows', {
        method: 'POST',
        json: { name: 'Parameters page', parameters: { 'erp.url': 'http://erp.example', 'omnitron.password': SECRET }, sensitiveParameters: ['omnitron.password'] },
      }),
    );
    await page.goto(`/flows/${created.id}/parameters`);
    await page.waitForSelector('tr[data-parameter="omnitron.password"] [aria-label="omnitron.password is set"]');
    expect(await page.content()).not.toContain(SECRET);

    // An ordinary edit sends the mask back for the secret, which keeps it.
    await page.fill('input[aria-label="Value of erp.url"]', 'http://erp.internal');
    await page.fill('input[aria-label="New parameter name"]', 'erp.token');
    await page.fill('input[aria-label="New parameter value"]', 'tok-123');
    await page.check('input[aria-label="New parameter is sensitive"]');
    await page.click('button:has-text("Add parameter")');
    await page.click('.page-head button:has-text("Save")');
    await page.waitForSelector('[role=status]:has-text("Saved as version")');
    const stored = await json<FlowDto>(await api.request(`/api/flows/${created.id}`));
    expect(stored.document.parameters['erp.url']).toBe('http://erp.internal');
    expect(stored.document.parameters['omnitron.password']).toBe('********');
    expect(stored.document.parameters['erp.token']).toBe('********');
    expect(stored.document.sensitiveParameters).toEqual(expect.arrayContaining(['omnitron.password', 'erp.token']));
    expect(await page.content()).not.toContain('tok-123');

    // A name that is already taken is refused before it is added.
    await page.fill('input[aria-label="New parameter name"]', 'erp.url');
    expect(await page.textContent('[data-testid=parameters-editor] [role=alert]')).toContain("'erp.url' is already a parameter");
    expect(await page.isDisabled('button:has-text("Add parameter")')).toBe(true);
    await page.fill('input[aria-label="New parameter name"]', '');

    // Making a secret readable means typing it again: the stored value is never sent to the browser.
    await page.click('tr[data-parameter="omnitron.password"] button:has-text("Replace")');
    await page.fill('input[aria-label="Value of omnitron.password"]', 'replaced-secret-1');
    await page.uncheck('input[aria-label="erp.token is sensitive"]');
    expect(await page.inputValue('input[aria-label="Value of erp.token"]')).toBe('');
    await page.fill('input[aria-label="Value of erp.token"]', 'tok-visible');
    await page.click('.page-head button:has-text("Save")');
    await page.waitForSelector(`[role=status]:has-text("Saved as version ${stored.version + 1}")`);
    // Saved: the replaced secret is stored, and shown as set again.
    await page.waitForSelector('tr[data-parameter="omnitron.password"] [aria-label="omnitron.password is set"]');
    const again = await json<FlowDto>(await api.request(`/api/flows/${created.id}`));
    expect(again.document.parameters['erp.token']).toBe('tok-visible');
    expect(again.document.parameters['omnitron.password']).toBe('********');
    const exported = JSON.stringify(await json(await api.request(`/api/flows/${created.id}/export`)));
    expect(exported).not.toContain('replaced-secret-1');
    expect(exported).not.toContain(SECRET);
    await shot(page, 'admin-parameters');
  });

  it('shows admins the server settings with the variable that sets each', async () => {
    await page.click('.topbar-nav a:has-text("Settings")');
    await page.waitForURL(/\/settings$/);
    await page.waitForSelector('[data-testid=settings]');
    expect(await page.textContent('[data-setting=SLUICE_RETENTION]')).toBe('14 days');
    expect(await page.textContent('[data-setting=SLUICE_CLUSTER]')).toBe('off');
    await shot(page, 'admin-settings');
  });

  it("gives a viewer disabled actions with the reason instead of refusals after the click", async () => {
    const viewerRes = await api.request('/api/users', { method: 'POST', json: { username: 'watcher', password: 'watcher-password-1', role: 'viewer' } });
    expect(viewerRes.status).toBe(201);
    const flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name: 'Viewer sees this' } }));
    const ctx = await newPage(browser, api.url);
    const vp = ctx.page;
    await signIn(vp, 'watcher', 'watcher-password-1');
    await vp.waitForSelector(`tr[data-flow-id="${flow.id}"]`);
    const reason = 'Editors and admins can create, import and change flows; you are signed in as viewer.';
    expect(await vp.isDisabled('button:has-text("New flow")')).toBe(true);
    expect(await vp.getAttribute('button:has-text("New flow")', 'title')).toBe(reason);
    expect(await vp.isDisabled(`tr[data-flow-id="${flow.id}"] button:has-text("Delete")`)).toBe(true);
    expect(await vp.textContent('[role=note]')).toBe(reason);
    expect(await vp.getAttribute('.topbar-nav .nav-disabled:has-text("Users")', 'title')).toBe('Admins can manage users; you are signed in as viewer.');

    await vp.goto(`/flows/${flow.id}`);
    await vp.waitForSelector('.react-flow__node');
    expect(await vp.isDisabled('[data-testid=start-stop]')).toBe(true);
    expect(await vp.getAttribute('[data-testid=start-stop]', 'title')).toContain('Editors and admins can start and stop flows');
    await openTab(vp, 'Trigger');
    expect(await vp.isDisabled('button:has-text("Trigger run")')).toBe(true);
    expect(await vp.textContent('.inspector [role=note]')).toContain('Editors and admins can trigger a run');

    // The screens themselves say why, when reached by their address.
    await vp.goto('/users');
    expect(await vp.textContent('[role=note]')).toBe('Admins can manage users; you are signed in as viewer.');
    await vp.goto(`/flows/${flow.id}/parameters`);
    await vp.waitForSelector('[data-testid=parameters-editor]');
    expect(await vp.textContent('[role=note]')).toContain('Editors and admins can change parameters');
    expect(await vp.locator('button:has-text("Add parameter")').count()).toBe(0);
    await shot(vp, 'admin-viewer-parameters');
    expect(ctx.errors).toEqual([]);
    await ctx.context.close();
    expect(errors).toEqual([]);
  });
});
