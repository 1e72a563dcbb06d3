export * from './action-ids';
export type { SlackMessage } from './message';
export { sessionsMessage, familiesPerPage, MAX_FAMILIES_PER_PAGE, type SessionsMessageInput } from './sessions';
export { loginHistoryMessage, type LoginHistoryInput } from './history';
export { helpMessage } from './help';
export { pickUserMessage } from './pick-user';
export { accessUncheckedMessage, errorMessage, notFoundMessage, refusalMessage, REFUSAL_TEXT } from './notices';
export { ACTION_LABELS, REQUEST_ACTION_KINDS, REQUEST_ACTION_IDS, type ActionLabel } from './action-labels';
export {
  requestModal,
  parseRequestSubmission,
  REQUEST_CALLBACK_ID,
  BLOCK_IDS as REQUEST_BLOCK_IDS,
  INPUT_ACTION_IDS as REQUEST_INPUT_ACTION_IDS,
  type RequestModalInput,
  type BlastRadius,
  type ModalTarget,
  type ConnectedAppUse,
  type RequestSubmission,
  type SubmittedValues,
} from './request-modal';
export {
  requestMessage,
  stepReply,
  verdictReply,
  requesterNotice,
  clickRefusal,
  requestConfirmation,
  type EvidenceSummary,
  type VerificationSummary,
  type RequestMessageView,
  type ClickRefusalReason,
} from './request-message';
export { auditTrailMessage, auditVerifyMessage, MAX_AUDIT_LINES, type AuditLine, type AuditTrailInput, type AuditVerifyResult } from './audit';
export { decisionAck } from './decision-ack';
export { modalNotice } from './modal-notice';
export { alertMessage, budgetNotice, type AlertMessageInput, type AlertMessageState } from './alert';
export { backlogNotice } from './backlog';
export { askAck, askDmMessage, alertAskText, escalationText, whatWasSeen, localTime, type AskDmInput } from './ask-user';
