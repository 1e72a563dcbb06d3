/** The viewer lives in the URL (`?as=U…`) so a reload or a shared link shows the same person. */

export function viewerFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('as');
  return id !== null && id.trim() !== '' ? id.trim() : null;
}

/** The same URL with `as` set to the viewer, every other parameter and the hash kept. */
export function urlWithViewer(href: string, viewer: string): string {
  const url = new URL(href);
  url.searchParams.set('as', viewer);
  return url.toString();
}
