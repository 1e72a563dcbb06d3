import { LogLevel, type Logger } from '@slack/bolt';

/** Keeps expected errors (invalid blocks, respond 404) out of the jest output; assertions cover them. */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
