export * from './action-ids';
export type { SlackMessage } from './message';
export { DEFAULT_HISTORY_DAYS } from './message';
export { sessionsMessage, familiesPerPage, MAX_FAMILIES_PER_PAGE, type SessionsMessageInput } from './sessions';
export { loginHistoryMessage, type LoginHistoryInput } from './history';
export { helpMessage } from './help';
export { pickUserMessage } from './pick-user';
export { errorMessage, notFoundMessage, refusalMessage, REFUSAL_TEXT } from './notices';
