/**
 * The demo console's server over real HTTP, with the real bot behind it: the page's JSON API,
 * server-sent events, and what happens to bad input. The same story as the browser test runs here
 * without a browser, so `npm test` covers the console even where no Chromium is installed.
 */
import { startDemo, type Demo } from '../../demo/demo';
import { DEMO_PEOPLE, SECURITY_CHANNEL } from '../../demo/people';
import type { ApiAnswer, Ephemeral, Message, Snapshot, StateValues } from '../../demo/console/protocol';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => JSON.stringify(v ?? null);

let demo: Demo;
/** A session row whose own address is in Moscow (other rows may name Moscow in a finding). */
const FROM_MOSCOW = /IP [\d.]+ · Moscow/;

async function post(path: string, body: unknown): Promise<{ status: number; answer: ApiAnswer }> {
  const res = await fetch(new URL(path, demo.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, answer: (await res.json()) as ApiAnswer };
}

async function state(viewer: string): Promise<Snapshot> {
  const res = await fetch(new URL(`/api/state?viewer=${viewer}`, demo.url));
  expect(res.status).toBe(200);
  return (await res.json()) as Snapshot;
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The element with `actionId`-like text on a block whose text mentions `needle`. */
function findButton(blocks: unknown[] | null, needle: RegExp, label: string): { blockId: string; actionId: string } | undefined {
  for (const block of blocks ?? []) {
    if (!isObj(block) || typeof block.block_id !== 'string') continue;
    const elements = [...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []), block.accessory].filter(isObj);
    if (!needle.test(textOf(block))) continue;
    const el = elements.find((e) => isObj(e.text) && e.text.text === label);
    if (el && typeof el.action_id === 'string') return { blockId: block.block_id, actionId: el.action_id };
  }
  return undefined;
}

function securityMessages(s: Snapshot): Message[] {
  return s.conversations.find((c) => c.id === SECURITY_CHANNEL.id)?.messages ?? [];
}

beforeAll(async () => {
  demo = await startDemo({ port: 0, activityIntervalMs: 0, monitorIntervalSeconds: 1, logLevel: 'warn', assets: { js: '/* page */', css: '' } });
});

afterAll(async () => {
  await demo?.close();
});

describe('the console API with the real bot behind it', () => {
  it('serves a page that loads nothing from outside this machine', async () => {
    const html = await (await fetch(demo.url)).text();
    expect(html).toContain('<div id="root"></div>');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(['data:,', '/app.css', '/app.js']);
  });

  it('tells each viewer what they may see: Nora is not in #security, everyone has a DM with the bot', async () => {
    const nora = await state(DEMO_PEOPLE.nora.id);
    expect(nora.conversations.map((c) => `${c.kind}:${c.name}`)).toEqual(['channel:general', 'im:Session Warden']);
    const ada = await state(DEMO_PEOPLE.ada.id);
    expect(ada.conversations.map((c) => `${c.kind}:${c.name}`)).toEqual(['channel:security', 'channel:general', 'im:Session Warden']);
    expect(ada.people.map((p) => p.role)).toEqual(['admin', 'approver', 'approver', 'colleague', 'compromised']);
  });

  it("shows the alert's map in its thread, served by the console as the PNG the bot uploaded", async () => {
    const map = await until('a map in an alert thread', async () => {
      const security = (await state(DEMO_PEOPLE.ada.id)).conversations.find((c) => c.id === SECURITY_CHANNEL.id);
      return Object.values(security?.threads ?? {})
        .flat()
        .flatMap((m) => m.files)[0];
    });
    expect(map.url).toMatch(/^\/api\/files\/F/);
    const res = await fetch(new URL(map.url, demo.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect((await fetch(new URL('/api/files/F0NOPE', demo.url))).status).toBe(404);
  });

  it('runs the story: alert → /sessions → Remove with a reason → second approver → the session is gone', async () => {
    const ada = DEMO_PEOPLE.ada.id;
    const alert = await until('an alert about Bob in #security', async () =>
      securityMessages(await state(ada)).find((m) => /Bob Baker/.test(m.text + textOf(m.blocks))),
    );
    expect(alert.author.isBot).toBe(true);

    const before = (await state(ada)).ephemerals.length;
    expect(await post('/api/command', { user: ada, channel: SECURITY_CHANNEL.id, line: '/sessions bob@acme.com' })).toEqual({
      status: 200,
      answer: { ok: true },
    });
    const answer = await until('the /sessions answer', async () => (await state(ada)).ephemerals[before]);
    const remove = findButton(answer.blocks, FROM_MOSCOW, 'Remove');
    expect(remove).toBeDefined();

    await post('/api/action', { user: ada, source: { kind: 'ephemeral', id: answer.id }, ...remove });
    const modal = await until('the request modal', async () => {
      const s = await state(ada);
      return s.modal && findInput(s.modal.view.blocks, /Why\?/) ? s.modal : undefined;
    });
    const reason = findInput(modal.view.blocks, /Why\?/)!;
    const values: StateValues = { [reason.blockId]: { [reason.actionId]: { type: 'plain_text_input', value: 'Moscow login while Bob is in San Francisco.' } } };
    expect((await post('/api/submit', { user: ada, viewId: modal.id, values })).answer).toEqual({ ok: true });
    expect((await state(ada)).modal).toBeNull();

    const quinn = DEMO_PEOPLE.quinn.id;
    const request = await until('the request message', async () =>
      securityMessages(await state(quinn)).find((m) => findButton(m.blocks, /Approve/, 'Approve') !== undefined),
    );
    const approve = findButton(request.blocks, /Approve/, 'Approve')!;
    expect((await post('/api/action', { user: quinn, source: { kind: 'message', channel: SECURITY_CHANNEL.id, ts: request.ts }, ...approve })).answer).toEqual({
      ok: true,
    });
    const done = await until('the request message to say it is done', async () =>
      securityMessages(await state(quinn)).find((m) => m.ts === request.ts && /Approved and done/.test(textOf(m.blocks))),
    );
    expect(done.edited).toBe(true);
    expect(demo.sf.org.get(moscowRoot(answer))).toBeUndefined();

    const count = (await state(ada)).ephemerals.length;
    await post('/api/command', { user: ada, channel: SECURITY_CHANNEL.id, line: '/sessions bob@acme.com' });
    const after = await until('the second /sessions answer', async () => (await state(ada)).ephemerals[count]);
    expect(textOf(after.blocks)).toContain('San Francisco');
    // Moscow may still be named in the login findings; no session row from there is left to remove.
    expect(findButton(after.blocks, FROM_MOSCOW, 'Remove')).toBeUndefined();
    expect(findButton(after.blocks, /IP [\d.]+ · San Francisco/, 'Remove')).toBeDefined();
  }, 60_000);

  it('shows the bot refusing a colleague who may not use it, as an answer only she sees', async () => {
    const nora = DEMO_PEOPLE.nora.id;
    await post('/api/command', { user: nora, channel: 'C0GENERAL', line: '/sessions bob@acme.com' });
    const refusal = await until('a refusal for Nora', async () => (await state(nora)).ephemerals[0]);
    expect(refusal.text + textOf(refusal.blocks)).toMatch(/not|only/i);
    expect((await state(DEMO_PEOPLE.paul.id)).ephemerals.some((e) => e.id === refusal.id)).toBe(false);
  });

  it.each([
    [
      '/api/command',
      { user: DEMO_PEOPLE.ada.id, channel: 'C0GENERAL', line: '/deploy prod' },
      400,
      '/deploy is not a valid command. This workspace has /sessions.',
    ],
    ['/api/command', { channel: 'C0GENERAL', line: '/sessions' }, 400, '"user" must be a non-empty string'],
    ['/api/command', { user: 'U0NOBODY', channel: 'C0GENERAL', line: '/sessions' }, 400, 'Unknown Slack user U0NOBODY'],
    ['/api/action', { user: DEMO_PEOPLE.ada.id, source: { kind: 'ephemeral', id: '1.2' }, actionId: 'x', blockId: 'y' }, 400, 'That message is gone'],
    [
      '/api/action',
      { user: DEMO_PEOPLE.ada.id, source: { kind: 'desk' }, actionId: 'x', blockId: 'y' },
      400,
      '"source.kind" must be message, ephemeral or view',
    ],
    ['/api/submit', { user: DEMO_PEOPLE.ada.id, viewId: 'V0NOPE', values: {} }, 400, 'That form is no longer open.'],
    ['/api/attacker', { on: 'yes' }, 400, '"on" must be true or false'],
    ['/api/reboot', {}, 404, 'No such console endpoint: POST /api/reboot'],
  ])('answers %s %j with %i and a sentence', async (path, body, status, error) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    expect(res.answer.ok).toBe(false);
    expect(res.answer.ok === false && res.answer.error).toContain(error);
  });

  it('answers a body that is not JSON with a sentence, not a stack trace', async () => {
    const res = await fetch(new URL('/api/command', demo.url), { method: 'POST', body: '{"user":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: 'The request body is not JSON' });
  });

  it('turns the attacker on and off, each switch a newer snapshot version (the page never goes back to an older one)', async () => {
    const before = (await state(DEMO_PEOPLE.ada.id)).version;
    expect((await post('/api/attacker', { on: true })).answer).toEqual({ ok: true });
    expect(demo.activity.attacker).toBe(true);
    const on = await state(DEMO_PEOPLE.ada.id);
    expect(on.attacker).toBe(true);
    expect(on.version).toBeGreaterThan(before);
    await post('/api/attacker', { on: false });
    const off = await state(DEMO_PEOPLE.ada.id);
    expect(off.attacker).toBe(false);
    expect(off.version).toBeGreaterThan(on.version);
  });

  it('announces changes over server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(new URL('/api/events', demo.url), { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const events = async (n: number): Promise<void> => {
      while ((seen.match(/event: changed/g) ?? []).length < n) {
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        seen += decoder.decode(value);
      }
    };
    await events(1);
    await post('/api/attacker', { on: true });
    await events(2);
    await post('/api/attacker', { on: false });
    controller.abort();
    expect(seen).toMatch(/^retry: 1000\nevent: changed\ndata: \{"version":\d+\}\n\n/);
  });
});

function findInput(blocks: unknown, label: RegExp): { blockId: string; actionId: string } | undefined {
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isObj(block) || block.type !== 'input' || !isObj(block.label) || !isObj(block.element)) continue;
    if (
      typeof block.label.text === 'string' &&
      label.test(block.label.text) &&
      typeof block.block_id === 'string' &&
      typeof block.element.action_id === 'string'
    ) {
      return { blockId: block.block_id, actionId: block.element.action_id };
    }
  }
  return undefined;
}

/** The Moscow family's root session id, from the Remove button's value on the /sessions answer. */
function moscowRoot(answer: Ephemeral): string {
  for (const block of answer.blocks ?? []) {
    if (isObj(block) && FROM_MOSCOW.test(textOf(block)) && isObj(block.accessory) && typeof block.accessory.value === 'string') {
      const value = JSON.parse(block.accessory.value) as { s?: string };
      if (value.s) return value.s;
    }
  }
  throw new Error('no Remove button with a session id on the Moscow row');
}
