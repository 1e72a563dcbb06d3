import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ChosenScope, SuppressionField } from '../../../operations/suppressions';
import { refusalMessage } from '../../views';
import { parseSuppressSubmission, SUPPRESS_BLOCK_IDS } from '../../views/suppress-modal';
import type { SlackDeps } from '../../deps';
import type { SuppressMetadata } from '../actions/mark-expected';
import { newReference } from '../shared';

function readMetadata(text: string): SuppressMetadata | null {
  try {
    const m = JSON.parse(text) as Partial<SuppressMetadata>;
    if (typeof m.g !== 'string' || !Array.isArray(m.a) || !m.a.every((x) => typeof x === 'string')) return null;
    return { g: m.g, a: m.a };
  } catch {
    return null;
  }
}

/** Where a problem is shown in the modal (the alert itself has no field: the reason box carries it). */
const BLOCK_OF: Record<SuppressionField, string> = {
  alert: SUPPRESS_BLOCK_IDS.reason,
  scope: SUPPRESS_BLOCK_IDS.scope,
  network: SUPPRESS_BLOCK_IDS.network,
  days: SUPPRESS_BLOCK_IDS.days,
  reason: SUPPRESS_BLOCK_IDS.reason,
};

/**
 * The Mark-expected modal's submit. Everything (the access check, the suppression, the alert
 * marked in place through the outbox) happens before the ack, so any problem — including a
 * refusal or a failure — is said inside the modal, next to its field, and the modal stays open.
 */
export function suppressSubmission(deps: SlackDeps) {
  return async ({ ack, body, view }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const fail = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    const parsed = parseSuppressSubmission(view.state.values);
    if ('errors' in parsed) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const meta = readMetadata(view.private_metadata);
    const app = parsed.scope.kind === 'app' ? meta?.a[parsed.scope.index] : undefined;
    if (!meta || (parsed.scope.kind === 'app' && app === undefined)) {
      await fail(SUPPRESS_BLOCK_IDS.reason, 'This form is out of date; close it and use the button again.');
      return;
    }
    const scope: ChosenScope = parsed.scope.kind === 'app' ? { kind: 'app', app: app ?? '' } : parsed.scope;
    const ref = newReference();
    try {
      const decision = await deps.access.decide(body.user.id, body.team?.id ?? body.user.team_id, 'admin', `mark expected ${meta.g}`);
      if (!decision.allowed) {
        await fail(
          SUPPRESS_BLOCK_IDS.reason,
          decision.failure ? `Slack could not confirm who you are right now (${decision.failure.code}); try again in a moment.` : refusalMessage().text,
        );
        return;
      }
      const outcome = await deps.suppressions.markExpected({ groupKey: meta.g, scope, days: parsed.days, reason: parsed.reason, by: body.user.id });
      if ('problem' in outcome) {
        await fail(BLOCK_OF[outcome.problem.field], outcome.problem.message);
        return;
      }
      await ack();
      deps.logger.info(
        { suppression: outcome.suppression.id, rule: outcome.suppression.rule, user: outcome.suppression.userId, by: body.user.id },
        'alert marked expected',
      );
    } catch (err) {
      deps.logger.error({ ref, err, group: meta.g }, 'could not mark an alert expected');
      await fail(SUPPRESS_BLOCK_IDS.reason, `${deps.describeError(err)} Nothing was suppressed. (Reference ${ref})`);
    }
  };
}
