/**
 * The stand-in's file upload (files.uploadV2 as @slack/web-api does it): files.getUploadURLExternal,
 * a POST of the bytes to the returned URL, files.completeUploadExternal — with Slack's documented
 * errors for each step.
 */
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { quietLogger } from './quiet-logger';
import { startSlack, type SlackStandIn } from './server';

const BOT = 'xoxb-files-test';
let slack: SlackStandIn;
let client: WebClient;

const BYTES = Buffer.from('\x89PNG\r\n\x1a\n not really a picture, but bytes all the same');

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as WebAPIPlatformError).data?.error ?? String(err);
  }
  throw new Error('expected Slack to refuse');
}

beforeAll(async () => {
  slack = await startSlack({ signingSecret: 's', botToken: BOT });
  client = new WebClient(BOT, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
  slack.addChannel({ id: 'C0SECOPS1', name: 'secops', is_private: true, members: ['UBOT0001'] });
  slack.addChannel({ id: 'C0OUTSIDE', name: 'outside', members: [] });
});
afterAll(() => slack.close());

describe('files.uploadV2 against the stand-in', () => {
  it('stores the uploaded bytes and shares the file in the thread named', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0SECOPS1', text: 'alert' });
    const res = await client.filesUploadV2({ channel_id: 'C0SECOPS1', thread_ts: parent.ts ?? '', file: BYTES, filename: 'map.png', title: 'The map' });
    expect(res.ok).toBe(true);
    const [completed] = slack.delivered('files.completeUploadExternal');
    const fileId = (completed?.response.files as Array<{ id: string }>)[0]?.id ?? '';
    const file = slack.files.get(fileId);
    expect(file?.bytes?.equals(BYTES)).toBe(true);
    expect(file).toMatchObject({ filename: 'map.png', title: 'The map', length: BYTES.length, shared: { channel: 'C0SECOPS1', threadTs: parent.ts } });
    expect(slack.delivered('files.getUploadURLExternal')[0]?.response.upload_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/v1\/F/);
  });

  it('getUploadURLExternal: invalid_arguments without filename or length, missing_argument for length 0, alt_txt_too_large', async () => {
    expect(await slackError(client.apiCall('files.getUploadURLExternal', { length: 10 }))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('files.getUploadURLExternal', { filename: 'a.png' }))).toBe('invalid_arguments');
    expect(await slackError(client.files.getUploadURLExternal({ filename: 'a.png', length: 0 }))).toBe('missing_argument');
    expect(await slackError(client.apiCall('files.getUploadURLExternal', { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1_001) }))).toBe(
      'alt_txt_too_large',
    );
  });

  it('completeUploadExternal: file_not_found for an unknown file or one whose bytes never came; channel_not_found; not_in_channel', async () => {
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: 'F0NOSUCH' }] }))).toBe('file_not_found');
    const pending = await client.files.getUploadURLExternal({ filename: 'b.png', length: 3 });
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: pending.file_id ?? '' }] }))).toBe('file_not_found');
    await fetch(pending.upload_url ?? '', { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: pending.file_id ?? '' }], channel_id: 'C0NOWHERE' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: pending.file_id ?? '' }], channel_id: 'C0OUTSIDE' }))).toBe('not_in_channel');
    // Without a channel the file is completed but kept private.
    await client.files.completeUploadExternal({ files: [{ id: pending.file_id ?? '' }] });
    expect(slack.files.get(pending.file_id ?? '')?.shared).toEqual({ channel: null, threadTs: null });
  });

  it("completeUploadExternal refuses a user id as channel_id, as Slack does; the DM's D… id (from chat.postMessage to the user) works", async () => {
    slack.addUser({ id: 'U0FILES01', name: 'fay' });
    const pending = await client.files.getUploadURLExternal({ filename: 'd.csv', length: 3 });
    await fetch(pending.upload_url ?? '', { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    const refused = await client.files
      .completeUploadExternal({ files: [{ id: pending.file_id ?? '' }], channel_id: 'U0FILES01' })
      .catch((err: unknown) => err as WebAPIPlatformError);
    expect((refused as WebAPIPlatformError).data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]'] },
    });
    const dm = await client.chat.postMessage({ channel: 'U0FILES01', text: 'your file' });
    expect(dm.channel).toMatch(/^D/);
    await client.files.completeUploadExternal({ files: [{ id: pending.file_id ?? '' }], channel_id: dm.channel ?? '', thread_ts: dm.ts ?? '' });
    expect(slack.files.get(pending.file_id ?? '')?.shared).toEqual({ channel: dm.channel, threadTs: dm.ts });
  });

  it('the upload URL answers 404 for an id it never issued and 200 "OK - <n>" for raw bytes', async () => {
    expect((await fetch(`${slack.url}/upload/v1/F0NOSUCH`, { method: 'POST', body: 'x' })).status).toBe(404);
    const { upload_url } = await client.files.getUploadURLExternal({ filename: 'c.png', length: 4 });
    const res = await fetch(upload_url ?? '', { method: 'POST', body: new Uint8Array([9, 8, 7, 6]) });
    expect([res.status, await res.text()]).toEqual([200, 'OK - 4']);
  });

  it('keeps the documented alt_txt and ignores alt_text (what filesUploadV2 in @slack/web-api 8.2 sends)', async () => {
    const documented = (await client.apiCall('files.getUploadURLExternal', { filename: 'e.png', length: 3, alt_txt: 'A map of two places' })) as {
      file_id?: string;
    };
    expect(slack.files.get(documented.file_id ?? '')?.altText).toBe('A map of two places');
    const sdk = await client.files.getUploadURLExternal({ filename: 'f.png', length: 3, alt_text: 'A map of two places' });
    expect(slack.files.get(sdk.file_id ?? '')?.altText).toBeNull();
  });

  it('an injected fault on getUploadURLExternal fails the whole upload', async () => {
    slack.failNext('files.getUploadURLExternal', 'internal_error');
    expect(await slackError(client.filesUploadV2({ channel_id: 'C0SECOPS1', file: BYTES, filename: 'd.png' }))).toBe('internal_error');
  });
});
