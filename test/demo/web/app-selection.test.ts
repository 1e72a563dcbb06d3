import type { Conversation } from '../../../demo/console/protocol';
import { botDmOf, channelsOf, defaultSelection, resolveSelection, selectedConversation } from '../../../demo/console/web/app/selection';
import type { Selection } from '../../../demo/console/web/app/selection';

function conversation(id: string, kind: Conversation['kind'], name = id): Conversation {
  return { id, name, kind, messages: [], threads: {} };
}

const security = conversation('C1', 'channel', 'security');
const general = conversation('C2', 'channel', 'general');
const dm = conversation('D1', 'im', 'Session Warden');

describe('defaultSelection', () => {
  test.each<[string, Conversation[], Selection]>([
    ['the first channel', [security, general, dm], { kind: 'channel', id: 'C1' }],
    ['the first channel even after the DM', [dm, general, security], { kind: 'channel', id: 'C2' }],
    ['the bot’s messages when the viewer is in no channel', [dm], { kind: 'app', tab: 'messages' }],
    ['the bot’s messages when there is nothing at all', [], { kind: 'app', tab: 'messages' }],
  ])('%s', (_name, conversations, expected) => {
    expect(defaultSelection({ conversations })).toEqual(expected);
  });
});

describe('resolveSelection', () => {
  test.each<[string, Selection | null, Conversation[], Selection]>([
    ['nothing chosen yet: the default', null, [security, dm], { kind: 'channel', id: 'C1' }],
    ['a channel still there is kept', { kind: 'channel', id: 'C2' }, [security, general, dm], { kind: 'channel', id: 'C2' }],
    ['a channel the new viewer is not in falls back', { kind: 'channel', id: 'C2' }, [security, dm], { kind: 'channel', id: 'C1' }],
    ['a DM id is not a channel', { kind: 'channel', id: 'D1' }, [security, dm], { kind: 'channel', id: 'C1' }],
    ['the Home tab is kept', { kind: 'app', tab: 'home' }, [security, dm], { kind: 'app', tab: 'home' }],
    ['the Messages tab is kept', { kind: 'app', tab: 'messages' }, [security], { kind: 'app', tab: 'messages' }],
  ])('%s', (_name, current, conversations, expected) => {
    expect(resolveSelection(current, { conversations })).toEqual(expected);
  });
});

describe('selectedConversation', () => {
  const conversations = [security, general, dm];
  test.each<[string, Selection, string | undefined]>([
    ['a channel', { kind: 'channel', id: 'C2' }, 'C2'],
    ['the bot’s messages', { kind: 'app', tab: 'messages' }, 'D1'],
    ['Home shows no conversation', { kind: 'app', tab: 'home' }, undefined],
    ['a channel that is gone', { kind: 'channel', id: 'C9' }, undefined],
  ])('%s', (_name, selection, id) => {
    expect(selectedConversation(selection, { conversations })?.id).toBe(id);
  });

  test('channels and the DM are told apart', () => {
    expect(channelsOf({ conversations }).map((c) => c.id)).toEqual(['C1', 'C2']);
    expect(botDmOf({ conversations })?.id).toBe('D1');
    expect(botDmOf({ conversations: [security] })).toBeUndefined();
  });
});
