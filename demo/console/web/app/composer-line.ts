/** What the composer does with a typed line: this console only speaks slash commands to the bot. */
export type ComposerIntent = { kind: 'nothing' } | { kind: 'command'; line: string } | { kind: 'not-a-command' };

export function composerIntent(typed: string): ComposerIntent {
  const line = typed.trim();
  if (line === '') return { kind: 'nothing' };
  // A lone "/" names no command; Slack would not send it either.
  if (/^\/[^\s/]/.test(line)) return { kind: 'command', line };
  return { kind: 'not-a-command' };
}
