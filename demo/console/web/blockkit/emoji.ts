/**
 * The emoji shortcodes the bot writes (grep `src/` for `:[a-z_]+:`) plus a few common ones, as
 * characters. A full table would be thousands of entries for codes the bot never sends; unknown codes
 * stay as text, which is also what keeps times like "10:00:00" intact.
 */
const EMOJI: Readonly<Record<string, string>> = {
  arrow_forward: '\u25B6\uFE0F',
  ballot_box_with_check: '\u2611\uFE0F',
  double_vertical_bar: '\u23F8\uFE0F',
  fast_forward: '\u23E9',
  gear: '\u2699\uFE0F',
  grey_question: '\u2754',
  hourglass: '\u231B',
  hourglass_flowing_sand: '\u23F3',
  information_source: '\u2139\uFE0F',
  large_orange_circle: '\u{1F7E0}',
  large_yellow_circle: '\u{1F7E1}',
  large_green_circle: '\u{1F7E2}',
  mag: '\u{1F50D}',
  no_bell: '\u{1F515}',
  no_entry: '\u26D4',
  no_entry_sign: '\u{1F6AB}',
  outbox_tray: '\u{1F4E4}',
  red_circle: '\u{1F534}',
  rotating_light: '\u{1F6A8}',
  speech_balloon: '\u{1F4AC}',
  warning: '\u26A0\uFE0F',
  white_check_mark: '\u2705',
  x: '\u274C',
  lock: '\u{1F512}',
  key: '\u{1F511}',
  bust_in_silhouette: '\u{1F464}',
  earth_africa: '\u{1F30D}',
  clock3: '\u{1F552}',
  '+1': '\u{1F44D}',
  '-1': '\u{1F44E}',
  eyes: '\u{1F440}',
  tada: '\u{1F389}',
};

/** The character for a shortcode name (without colons), or undefined when it is not in the table. */
export function emojiFor(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : undefined;
}

const SHORTCODE_AT = /:([a-z0-9_+-]+):/y;

/** A known shortcode starting at `start` (which holds a colon): its character and where it ends. */
export function shortcodeAt(text: string, start: number): { char: string; end: number } | undefined {
  SHORTCODE_AT.lastIndex = start;
  const match = SHORTCODE_AT.exec(text);
  const char = match ? emojiFor(match[1] ?? '') : undefined;
  return match && char !== undefined ? { char, end: start + match[0].length } : undefined;
}

/**
 * Replaces known shortcodes in plain text (plain_text objects with emoji: true). An unknown code gives
 * back only its first colon, so "10:00:warning:" still finds ":warning:".
 */
export function replaceShortcodes(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const found = text[i] === ':' ? shortcodeAt(text, i) : undefined;
    if (found) {
      out += found.char;
      i = found.end;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}
