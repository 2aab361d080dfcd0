import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { api, session } from '../api/client.js';
import { OutboundKeys } from './OutboundKeys.js';

const key = { id: 'k1', flowId: 'f1', name: 'ERP', prefix: 'slk_abcdefgh', createdBy: 'ed', createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null };

describe('OutboundKeys', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    localStorage.clear();
  });

  it("shows a curl example with a key placeholder, never the user's sign-in token", async () => {
    localStorage.setItem('sluice.token', 'eyJ-live-session-token');
    vi.spyOn(api, 'apiKeys').mockResolvedValue([key]);
    const { container } = render(<OutboundKeys flowId="f1" url="http://x/api/outbound/f1" example="[]" canEdit />);
    expect(await screen.findByText('ERP')).toBeTruthy();
    expect(container.textContent).toContain("X-API-Key: <API key of this flow>");
    expect(container.textContent).not.toContain(session.token()!);
    expect(container.textContent).not.toContain('Bearer');
  });

  it('creates a key, shows it once, and revokes keys', async () => {
    vi.spyOn(api, 'apiKeys').mockResolvedValueOnce([]).mockResolvedValue([key]);
    const create = vi.spyOn(api, 'createApiKey').mockResolvedValue({ ...key, key: 'slk_the-secret-key' });
    const revoke = vi.spyOn(api, 'revokeApiKey').mockResolvedValue(undefined);
    render(<OutboundKeys flowId="f1" url="http://x/api/outbound/f1" example="[]" canEdit />);
    fireEvent.change(screen.getByLabelText('New API key name'), { target: { value: 'ERP' } });
    fireEvent.click(screen.getByText('Create key'));
    await waitFor(() => expect(create).toHaveBeenCalledWith('f1', 'ERP'));
    expect(((await screen.findByLabelText('New API key')) as HTMLInputElement).value).toBe('slk_the-secret-key');
    fireEvent.click(await screen.findByText('Revoke'));
    await waitFor(() => expect(revoke).toHaveBeenCalledWith('f1', 'k1'));
    await waitFor(() => expect(screen.queryByLabelText('New API key')).toBeNull());
  });

  it('does not list keys for viewers', () => {
    const list = vi.spyOn(api, 'apiKeys');
    render(<OutboundKeys flowId="f1" url="u" example="[]" canEdit={false} />);
    expect(list).not.toHaveBeenCalled();
    expect(screen.getByText(/Editors create and revoke/)).toBeTruthy();
  });
});
