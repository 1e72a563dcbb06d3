/**
 * Keeps the viewer's snapshot current: fetched when the viewer changes and whenever the server's
 * event stream says something changed (no polling). A dropped stream is reopened quietly; the page
 * only shows that it is disconnected.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { API_PATHS, CHANGED_EVENT } from '../../protocol';
import type { Snapshot } from '../../protocol';
import { fetchSnapshot } from './api';
import { reconnectDelayMs } from './reconnect';
import { urlWithViewer } from './viewer-url';

export type StreamState = 'connecting' | 'open' | 'lost';

export interface SnapshotFeed {
  snapshot: Snapshot | null;
  viewer: string | null;
  stream: StreamState;
  /** Why the last fetch of the state failed, until one succeeds. */
  loadError: string | null;
  setViewer: (id: string) => void;
}

export function useSnapshot(initialViewer: string | null): SnapshotFeed {
  const [viewer, setViewerState] = useState(initialViewer);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [loadError, setLoadError] = useState<string | null>(null);
  const viewerRef = useRef(viewer);

  const rememberViewer = useCallback((id: string) => {
    viewerRef.current = id;
    setViewerState(id);
    window.history.replaceState(null, '', urlWithViewer(window.location.href, id));
  }, []);

  const refresh = useCallback(async () => {
    const asked = viewerRef.current;
    const result = await fetchSnapshot(asked);
    // The viewer may have changed while this was in flight: an answer for someone else is dropped.
    if (viewerRef.current !== asked) return;
    if (!result.ok) {
      setLoadError(result.error);
      return;
    }
    setLoadError(null);
    if (asked === null) rememberViewer(result.value.viewer);
    // Answers can overtake each other; an older version never replaces a newer one of the same viewer.
    setSnapshot((current) => (current && current.viewer === result.value.viewer && current.version > result.value.version ? current : result.value));
  }, [rememberViewer]);

  useEffect(() => {
    void refresh();
  }, [viewer, refresh]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failedAttempts = 0;

    const open = () => {
      source = new EventSource(API_PATHS.events);
      source.addEventListener('open', () => {
        failedAttempts = 0;
        setStream('open');
        // Changes made while the stream was down were never announced.
        void refresh();
      });
      source.addEventListener(CHANGED_EVENT, () => void refresh());
      source.addEventListener('error', () => {
        setStream('lost');
        // While CONNECTING the browser retries by itself; once CLOSED it never will, so we do.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retryTimer = setTimeout(open, reconnectDelayMs(failedAttempts++));
        }
      });
    };
    open();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [refresh]);

  return { snapshot, viewer, stream, loadError, setViewer: rememberViewer };
}
