import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger';

/**
 * Bolt and the Slack SDK log through pino too, so their lines get the same redaction. The level
 * stays LOG_LEVEL's: Bolt's setLevel is recorded but does not override the operator's choice.
 */
export function boltLogger(base: Logger): BoltLogger {
  let logger = base.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const line = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  return {
    debug: (...args: unknown[]) => logger.debug(line(args)),
    info: (...args: unknown[]) => logger.info(line(args)),
    warn: (...args: unknown[]) => logger.warn(line(args)),
    error: (...args: unknown[]) => logger.error(line(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name: string) => {
      logger = base.child({ component: name });
    },
  };
}
