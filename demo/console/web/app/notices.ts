/**
 * Console notices accumulate in every snapshot; only the ones the page has not seen yet become
 * toasts. A notice has no id, so its time and text identify it.
 */
import type { ConsoleNotice } from '../../protocol';

export function noticeKey(notice: ConsoleNotice): string {
  return `${notice.at}|${notice.level}|${notice.text}`;
}

export function unseenNotices(notices: readonly ConsoleNotice[], seen: ReadonlySet<string>): ConsoleNotice[] {
  return notices.filter((notice) => !seen.has(noticeKey(notice)));
}
