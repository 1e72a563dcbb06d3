import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values are credentials. pino's redaction matches keys at these paths; the
 * wildcard forms catch them one level down (e.g. `err.data.access_token`).
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'signingSecret',
  'auditHmacKey',
  'hmacKey',
  'clientSecret',
  'client_secret',
  'privateKeyPem',
  'assertion',
  'password',
  'NewPassword',
  'deleteToken',
  'DeleteToken',
  'authorization',
  'Authorization',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'headers.authorization',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'session-warden' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
