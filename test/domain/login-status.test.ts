import { failureLabel, isSuccessStatus } from '../../src/domain/login-status';

describe('isSuccessStatus', () => {
  it('accepts only "Success", case-insensitively and ignoring whitespace', () => {
    expect(isSuccessStatus('Success')).toBe(true);
    expect(isSuccessStatus('SUCCESS')).toBe(true);
    expect(isSuccessStatus(' success ')).toBe(true);
  });

  it.each([
    'Invalid Password',
    'Password Lockout',
    'User is Inactive',
    'User Is Frozen',
    'Failed: API security token required',
    'Failed: Computer activation required',
    'Username-Password Flow Disabled',
    'Success with warnings',
    'Not Success',
    '',
  ])('treats %p as a failure', (status) => {
    expect(isSuccessStatus(status)).toBe(false);
  });

  it('treats missing status as a failure', () => {
    expect(isSuccessStatus(null)).toBe(false);
    expect(isSuccessStatus(undefined)).toBe(false);
  });
});

describe('failureLabel', () => {
  it('keeps plain reasons and strips the "Failed:" prefix', () => {
    expect(failureLabel('Invalid Password')).toBe('Invalid Password');
    expect(failureLabel('Failed: API security token required')).toBe('API security token required');
    expect(failureLabel('  User   Is Frozen ')).toBe('User Is Frozen');
  });

  it('names missing reasons and shortens long free text', () => {
    expect(failureLabel('')).toBe('unknown reason');
    expect(failureLabel(null)).toBe('unknown reason');
    expect(failureLabel('Failed:')).toBe('unknown reason');
    const label = failureLabel('x'.repeat(200));
    expect(label).toHaveLength(80);
    expect(label.endsWith('…')).toBe(true);
  });
});
