import { viewBlocks, viewCloseText, viewSubmitText, viewTitle } from '../../../demo/console/web/app/view-text';

const plain = (text: string) => ({ type: 'plain_text', text });

describe('view text', () => {
  test.each<[string, Record<string, unknown>, string, string, string | null]>([
    ['all three given', { title: plain('Remove session'), submit: plain('Request'), close: plain('Back') }, 'Remove session', 'Back', 'Request'],
    ['no close: Slack says Cancel', { title: plain('Login history'), submit: plain('Done') }, 'Login history', 'Cancel', 'Done'],
    ['no submit: no submit button', { title: plain('Evidence') }, 'Evidence', 'Cancel', null],
    ['no title at all', {}, 'Session Warden', 'Cancel', null],
    ['malformed fields are ignored', { title: { type: 'plain_text' }, submit: 42, close: null }, 'Session Warden', 'Cancel', null],
    ['a bare string is accepted', { title: 'Contain user', submit: 'Go' }, 'Contain user', 'Cancel', 'Go'],
  ])('%s', (_name, view, title, close, submit) => {
    expect(viewTitle(view)).toBe(title);
    expect(viewCloseText(view)).toBe(close);
    expect(viewSubmitText(view)).toBe(submit);
  });

  test.each<[string, Record<string, unknown>, unknown[]]>([
    ['blocks as sent', { blocks: [{ type: 'divider' }] }, [{ type: 'divider' }]],
    ['no blocks', {}, []],
    ['blocks that are not a list', { blocks: 'oops' }, []],
  ])('viewBlocks: %s', (_name, view, blocks) => {
    expect(viewBlocks(view)).toEqual(blocks);
  });
});
