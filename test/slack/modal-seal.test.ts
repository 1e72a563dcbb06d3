import { MODAL_MAX_AGE_MS, ModalSeal } from '../../src/slack/modal-seal';

describe('ModalSeal', () => {
  const seal = new ModalSeal('signing-secret-of-the-app');
  const content = JSON.stringify({ k: 'remove_session', u: '005000000000001AAA', s: ['0Ak000000000001AAA'] });
  const T = 1_800_000_000_000;

  it('opens what it sealed, for the person it was sealed for', () => {
    expect(seal.open(seal.seal(content, 'U0ADMIN01', T), 'U0ADMIN01', T + 60_000)).toEqual({ text: content });
  });

  it('refuses another person, an old form, an edited one, one sealed under another key, and plain JSON', () => {
    const sealed = seal.seal(content, 'U0ADMIN01', T);
    expect(seal.open(sealed, 'U0OTHER01', T)).toEqual({ problem: 'other_user' });
    expect(seal.open(sealed, 'U0ADMIN01', T + MODAL_MAX_AGE_MS + 1)).toEqual({ problem: 'expired' });
    const edited = JSON.stringify({ ...(JSON.parse(sealed) as object), p: content.replace('0Ak000000000001AAA', '0Ak000000000009AAA') });
    expect(seal.open(edited, 'U0ADMIN01', T)).toEqual({ problem: 'not_ours' });
    const reassigned = JSON.stringify({ ...(JSON.parse(sealed) as object), o: 'U0OTHER01' });
    expect(seal.open(reassigned, 'U0OTHER01', T)).toEqual({ problem: 'not_ours' });
    expect(new ModalSeal('another-secret').open(sealed, 'U0ADMIN01', T)).toEqual({ problem: 'not_ours' });
    expect(seal.open(content, 'U0ADMIN01', T)).toEqual({ problem: 'not_ours' });
    expect(seal.open('not json', 'U0ADMIN01', T)).toEqual({ problem: 'not_ours' });
  });
});
