import type { Session } from '../domain/types';

// Session and login types that mean "a program holds a token", not "a person is at a browser".
const INTEGRATION_SESSION_TYPES = new Set(['oauth2', 'api', 'apionlyuser']);
// AuthSession.LoginType is read as a label; LoginHistory uses API names. Accept both spellings.
const INTEGRATION_LOGIN_TYPES = new Set(['remote access 2.0', 'remote access client', 'oauth2', 'oauth']);

export function isIntegrationSession(session: Session): boolean {
  if (INTEGRATION_SESSION_TYPES.has(session.sessionType.trim().toLowerCase())) return true;
  const loginType = session.loginType?.trim().toLowerCase();
  return loginType !== undefined && INTEGRATION_LOGIN_TYPES.has(loginType);
}
