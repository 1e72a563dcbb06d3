import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AskAnswer } from '../../../domain/ask';
import type { AnswerOutcome, AskOutcome } from '../../../operations/ask-user';
import type { SlackDeps } from '../../deps';
import { decodeAskValue } from '../../views/action-ids';
import { askAck } from '../../views/ask-user';
import { errorMessage } from '../../views';
import { allowed, answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

function askSentence(outcome: AskOutcome): string {
  switch (outcome.kind) {
    case 'asked':
      return `Sent <@${outcome.ask.slackUserId ?? ''}> a direct message asking whether this was them; the alert will show the answer.`;
    case 'unreachable':
      return `Nobody was asked: ${outcome.sentence}. The alert says so.`;
    case 'already_asked':
      return 'This alert was already asked about; the alert shows where that stands.';
    case 'not_open':
      return 'This alert is no longer open, so nobody was asked.';
    case 'no_alert':
      return 'That alert no longer exists.';
  }
}

function answerSentence(outcome: AnswerOutcome): string {
  switch (outcome.kind) {
    case 'recorded':
      return outcome.answer === 'yes'
        ? 'Thank you — recorded that it was you.'
        : 'Thank you — those sessions were ended and the security team has been alerted.';
    case 'not_yours':
      return 'Only the person this question was sent to can answer it; nothing was changed.';
    case 'already_settled':
      return 'This question has already been settled; nothing was changed.';
    case 'no_ask':
      return 'That question no longer exists; nothing was changed.';
  }
}

/** "Ask <name>" on an alert: an admin (or approver) has the bot DM the colleague. */
export function askUserButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action, body } = args;
    await ack();
    await answering(deps, respond, 'ask the user', async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', 'ask the user'))) return;
      const alertKey = decodeAskValue(action.value);
      if (!alertKey) {
        await reply(respond, errorMessage('That button is out of date.'));
        return;
      }
      await reply(respond, askAck(askSentence(await deps.asks.ask(alertKey, body.user.id))));
    });
  };
}

/**
 * "Yes, it was me" / "No, not me" in the DM. No role check: the operation accepts only the
 * colleague the question was sent to, and anyone else is told so while nothing changes.
 */
function answerButton(deps: SlackDeps, answer: AskAnswer) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action, body } = args;
    await ack();
    await answering(deps, respond, `ask answer ${answer}`, async () => {
      const alertKey = decodeAskValue(action.value);
      if (!alertKey) {
        await reply(respond, errorMessage('That button is out of date.'));
        return;
      }
      await reply(respond, askAck(answerSentence(await deps.asks.answer(alertKey, body.user.id, answer))));
    });
  };
}

export const askYesButton = (deps: SlackDeps) => answerButton(deps, 'yes');
export const askNoButton = (deps: SlackDeps) => answerButton(deps, 'no');
