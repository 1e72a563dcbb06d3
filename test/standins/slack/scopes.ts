/**
 * Which bot scopes each Web API method the stand-in serves needs, checked on every call against the
 * scopes the app was installed with — by default the bot scopes of the repository's manifest.yml, so
 * a call the real workspace would refuse with `missing_scope` is refused here too.
 *
 * Sources: each method's "Scopes / Bot token" fact on docs.slack.dev/reference/methods/<method> (the
 * same data as slack-ruby/slack-api-ref methods/*.json). Conversation methods take one scope per kind
 * of conversation (channels:… for public channels, groups:… for private ones, im:… for DMs); Slack
 * answers `missing_scope` with `needed` (what was missing) and `provided` (the token's scopes), both
 * comma-separated, as @slack/web-api's response types declare.
 */
import { readFileSync } from 'node:fs';
import { repoFile } from '../repo-file';
import { parse } from 'yaml';

/** The scopes that would each let a bot token call the method (empty: none needed). */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'usergroups.users.list': ['usergroups:read'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
};

/** The kinds of conversation a per-kind scope family covers. */
export type ConversationKind = 'public' | 'private' | 'im';

const FAMILY_PREFIX: Readonly<Record<ConversationKind, string>> = { public: 'channels', private: 'groups', im: 'im' };

/** The one scope a conversation method needs for this kind of conversation (e.g. `groups:history` for a private channel). */
export function conversationScope(kind: ConversationKind, family: 'read' | 'history'): string {
  return `${FAMILY_PREFIX[kind]}:${family}`;
}

/** The bot scopes in the repository's manifest.yml: what the app asks for when installed. */
export function manifestBotScopes(): string[] {
  const manifest = parse(readFileSync(repoFile('manifest.yml'), 'utf8')) as {
    oauth_config?: { scopes?: { bot?: unknown } };
  };
  const bot = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(bot) || !bot.every((s): s is string => typeof s === 'string')) throw new Error('manifest.yml has no oauth_config.scopes.bot list');
  return bot;
}

/** Slack's `missing_scope` answer. */
export function missingScope(
  needed: readonly string[],
  provided: ReadonlySet<string>,
): { ok: false; error: 'missing_scope'; needed: string; provided: string } {
  return { ok: false, error: 'missing_scope', needed: needed.join(','), provided: [...provided].join(',') };
}

/** The method-level check: null when the token holds one of the method's scopes (or it needs none). */
export function methodScopeFailure(method: string, granted: ReadonlySet<string>): ReturnType<typeof missingScope> | null {
  const accepted = METHOD_SCOPES[method] ?? [];
  if (accepted.length === 0 || accepted.some((s) => granted.has(s))) return null;
  return missingScope(accepted, granted);
}
