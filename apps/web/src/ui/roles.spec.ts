import { describe, expect, it } from 'vitest';
import { deniedReason } from './roles.js';

describe('deniedReason', () => {
  it('allows a role at or above the one needed', () => {
    expect(deniedReason('editor', 'start flows', 'editor')).toBeNull();
    expect(deniedReason('editor', 'start flows', 'admin')).toBeNull();
    expect(deniedReason('viewer', 'read flows', 'viewer')).toBeNull();
  });
  it('names who can and what the user is', () => {
    expect(deniedReason('admin', 'manage users', 'editor')).toBe('Admins can manage users; you are signed in as editor.');
    expect(deniedReason('editor', 'trigger a run', 'viewer')).toBe('Editors and admins can trigger a run; you are signed in as viewer.');
  });
});
