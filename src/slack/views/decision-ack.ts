import type { ActionRequest } from '../../domain/requests';
import { ACTION_LABELS } from './action-labels';
import { section } from './blocks';
import type { SlackMessage } from './message';
import { plural, safe } from './text';

/**
 * What an accepted Approve / Deny click did, told only to the clicker. Said from the request's
 * state in the database, so it is true even while Slack cannot update the request message yet.
 */
export function decisionAck(how: 'approve' | 'deny', request: ActionRequest, approvalsMissing: number): SlackMessage {
  const what = `${ACTION_LABELS[request.kind].verb.toLowerCase()} for ${safe(request.target.name, 120)} (\`${safe(request.id, 40)}\`)`;
  let sentence: string;
  if (how === 'deny') sentence = `:no_entry_sign: Denied: ${what}. The requester is told.`;
  else if (approvalsMissing > 0)
    sentence = `:ballot_box_with_check: Your approval of ${what} is recorded; it needs ${plural(approvalsMissing, 'more approver')}.`;
  else if (request.state === 'done') sentence = `:white_check_mark: Approved and done: ${what}. The request's thread has each step and the verification.`;
  else if (request.state === 'failed') sentence = `:x: Approved, but ${what} did not fully succeed. The request's thread says which step and why.`;
  else sentence = `:gear: Approved: ${what} is running; the request message will update when Slack answers.`;
  return { text: sentence, blocks: [section(sentence, 'decision_ack')] };
}
