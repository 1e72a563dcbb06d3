import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps';
import { UNPACED } from '../../outbox/channel-pace';
import { SlackCalls } from '../../outbox/slack-calls';
import { classifySlackError } from '../../outbox/slack-errors';
import { errorMessage } from '../../views';
import { section } from '../../views/blocks';
import { decodeOrgPage, decodeValue, isUserValue } from '../../views/action-ids';
import type { SlackMessage } from '../../views/message';
import { orgMessage } from '../../views/org';
import { orgSessionsCsv } from '../../views/org-csv';
import { formatCount, plural, utcLabel } from '../../views/text';
import { allowed, answering, reply, sessionsAnswer } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** The org view's page `page` (1-based), read now. */
export async function orgAnswer(deps: SlackDeps, page: number): Promise<SlackMessage> {
  const view = await deps.org.view();
  return orgMessage({ summary: view.summary, page, snapshotId: view.snapshotId });
}

function orgButton(deps: SlackDeps, what: string, run: (args: ButtonArgs) => Promise<boolean>) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, respond } = args;
    await ack();
    await answering(deps, respond, what, async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', what))) return;
      if (!(await run(args))) await reply(respond, errorMessage('That button is out of date; run /sessions again.'));
    });
  };
}

/** Previous / Next: the page replaces the view it was clicked on (always the clicker's own ephemeral answer). */
export function orgPageButton(deps: SlackDeps) {
  return orgButton(deps, 'org view page', async ({ action, respond }) => {
    const value = decodeOrgPage(action.value);
    if (value === null) return false;
    // The read the view was built from, while the bot keeps it: paging costs no second read of the org.
    const kept = value.snapshot ? deps.org.snapshot(value.snapshot) : null;
    const message = kept && value.snapshot ? orgMessage({ summary: kept, page: value.page, snapshotId: value.snapshot }) : await orgAnswer(deps, value.page);
    await reply(respond, message, true);
    return true;
  });
}

/** Show sessions on a line: the per-user lookup, answered below so the org view stays. */
export function orgShowSessionsButton(deps: SlackDeps) {
  return orgButton(deps, 'org view show sessions', async ({ action, respond }) => {
    const value = decodeValue(action.value);
    if (!isUserValue(value)) return false;
    await reply(respond, await sessionsAnswer(deps, { byId: value.u }, 1));
    return true;
  });
}

/**
 * Export CSV: every live session as a file in the clicker's DM with the bot. files.uploadV2 will
 * not take a user id as its channel (Slack: "input must match regex pattern ^[CGDZ]…"), so a
 * short message is posted to the user first — chat.postMessage does take a user id and answers
 * with the DM's own id — and the file goes into that message's thread.
 */
export function orgExportButton(deps: SlackDeps) {
  return orgButton(deps, 'org view export', async ({ body, client, respond }) => {
    const view = await deps.org.view();
    const csv = orgSessionsCsv({ sessions: view.sessions, people: view.people, botUserId: deps.org.botUserId() });
    const at = view.summary.now;
    const sent = await sendCsv(client, body.user.id, {
      intro: `Every live Salesforce session of the org as of ${utcLabel(at)}: ${plural(view.sessions.length, 'row')} (file in the thread).`,
      bytes: Buffer.from(csv, 'utf8'),
      filename: `salesforce-sessions-${at.toISOString().slice(0, 16).replace(/[:T]/g, '-')}.csv`,
      title: `Live Salesforce sessions, ${utcLabel(at)}`,
      altText: `CSV of ${formatCount(view.sessions.length)} live Salesforce sessions`,
    });
    // Every live session's user and address leaves the bot in this file: who took it is worth a log line.
    const fields = { slackUser: body.user.id, rows: view.sessions.length, bytes: Buffer.byteLength(csv), source: view.summary.source.kind };
    if (sent.ok) deps.logger.info(fields, 'org sessions exported as CSV');
    else deps.logger.warn({ ...fields, slack: { method: 'files.uploadV2', error: sent.reason } }, 'org sessions CSV not sent');
    await reply(
      respond,
      sent.ok
        ? sentNotice(`Sent: ${plural(view.sessions.length, 'session')} as a CSV file in your messages with the bot.`)
        : errorMessage(`Slack did not take the CSV file (${sent.reason}); nothing was sent.`),
    );
    return true;
  });
}

async function sendCsv(
  client: WebClient,
  userId: string,
  file: { intro: string; bytes: Buffer; filename: string; title: string; altText: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let dm: { channel?: string; ts?: string };
  try {
    dm = await client.chat.postMessage({ channel: userId, text: file.intro });
  } catch (err) {
    return { ok: false, reason: classifySlackError(err).reason };
  }
  if (!dm.channel || !dm.ts) return { ok: false, reason: 'Slack answered the message without its channel or ts' };
  const res = await new SlackCalls(client).uploadToThread(UNPACED, dm.channel, dm.ts, file);
  return res.ok ? { ok: true } : { ok: false, reason: res.failure.reason };
}

function sentNotice(text: string): SlackMessage {
  return { text, blocks: [section(text, 'org_export_sent')] };
}
