/**
 * The console page: a small Slack client for one viewer at a time. Everything it shows comes from
 * the viewer's snapshot; everything it does is a POST to the console server, whose failures become
 * toasts naming the cause.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Snapshot, StateValues } from '../../protocol';
import { api } from './api';
import type { Result } from './api';
import { ConnectionBar } from './ConnectionBar';
import { Conversation } from './Conversation';
import { directoryOf } from './directory';
import { Home } from './Home';
import { Modal, modalKey } from './Modal';
import { noticeKey, unseenNotices } from './notices';
import type { PageContext } from './page-context';
import { botDmOf, channelsOf, resolveSelection, selectedConversation } from './selection';
import type { Selection } from './selection';
import { Sidebar } from './Sidebar';
import { Thread } from './Thread';
import { Toasts } from './Toasts';
import { TopBar } from './TopBar';
import { useSnapshot } from './use-snapshot';
import { useToasts } from './use-toasts';
import { viewerFromSearch } from './viewer-url';

/** Shows each console notice once as a toast; those already there when a viewer's page opens go only to the log. */
function useNoticeToasts(snapshot: Snapshot | null, show: (level: 'info' | 'error', text: string) => void): void {
  const seen = useRef(new Set<string>());
  const seededFor = useRef<string | null>(null);
  useEffect(() => {
    if (!snapshot) return;
    const fresh = unseenNotices(snapshot.notices, seen.current);
    fresh.forEach((notice) => seen.current.add(noticeKey(notice)));
    if (seededFor.current !== snapshot.viewer) {
      seededFor.current = snapshot.viewer;
      return;
    }
    fresh.forEach((notice) => show(notice.level, notice.text));
  }, [snapshot, show]);
}

export function App() {
  const feed = useSnapshot(viewerFromSearch(window.location.search));
  const { toasts, show, dismiss } = useToasts();
  useNoticeToasts(feed.snapshot, show);

  if (!feed.snapshot) {
    return (
      <div class="app-loading">
        <ConnectionBar stream={feed.stream} loadError={feed.loadError} />
        <p>Loading the workspace…</p>
        <Toasts toasts={toasts} onDismiss={dismiss} />
      </div>
    );
  }
  return <Workspace snapshot={feed.snapshot} feed={feed} toasts={{ toasts, show, dismiss }} />;
}

function Workspace(props: { snapshot: Snapshot; feed: ReturnType<typeof useSnapshot>; toasts: ReturnType<typeof useToasts> }) {
  const { snapshot, feed } = props;
  const { show } = props.toasts;
  const viewer = snapshot.viewer;
  const [chosen, setChosen] = useState<Selection | null>(null);
  const [thread, setThread] = useState<{ channel: string; ts: string } | null>(null);
  const [attackerWanted, setAttackerWanted] = useState<boolean | null>(null);

  const selection = resolveSelection(chosen, snapshot);
  const conversation = selectedConversation(selection, snapshot);
  const person = snapshot.people.find((candidate) => candidate.id === viewer);
  const timeZone = person?.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const directory = useMemo(() => directoryOf(snapshot), [snapshot]);

  /** Runs a request; a failure becomes a toast. True when the server accepted it. */
  const attempt = useCallback(
    async (request: Promise<Result<null>>): Promise<boolean> => {
      const result = await request;
      if (!result.ok) show('error', result.error);
      return result.ok;
    },
    [show],
  );

  const page: PageContext = useMemo(
    () => ({ viewer, timeZone, directory, act: (request) => void attempt(api.action(request)) }),
    [viewer, timeZone, directory, attempt],
  );

  // The bot publishes Home when it is opened (app_home_opened), for each viewer who opens it.
  const homeOpen = selection.kind === 'app' && selection.tab === 'home';
  useEffect(() => {
    if (homeOpen) void attempt(api.home({ user: viewer }));
  }, [homeOpen, viewer, attempt]);

  // The switch follows the server once it has caught up with what was asked.
  useEffect(() => {
    if (attackerWanted !== null && attackerWanted === snapshot.attacker) setAttackerWanted(null);
  }, [attackerWanted, snapshot.attacker]);

  const toggleAttacker = async (on: boolean) => {
    setAttackerWanted(on);
    if (!(await attempt(api.attacker({ on })))) setAttackerWanted(null);
  };

  const select = (next: Selection) => {
    setChosen(next);
    setThread(null);
  };

  const threadConversation = thread ? snapshot.conversations.find((candidate) => candidate.id === thread.channel) : undefined;
  const botDm = botDmOf(snapshot);
  const botName = snapshot.bot.name;
  const header =
    selection.kind === 'channel' ? (
      <header class="app-pane-head">
        <h1 class="app-pane-title"># {conversation?.name ?? ''}</h1>
      </header>
    ) : (
      <header class="app-pane-head app-pane-head-tabs">
        <h1 class="app-pane-title">{botName}</h1>
        <div class="app-tabs" role="tablist" aria-label={botName}>
          {(['home', 'messages'] as const).map((tab) => (
            <button key={tab} type="button" role="tab" class="app-tab" aria-selected={selection.tab === tab} onClick={() => select({ kind: 'app', tab })}>
              {tab === 'home' ? 'Home' : 'Messages'}
            </button>
          ))}
        </div>
      </header>
    );

  const composerLabel = selection.kind === 'channel' ? `Message #${conversation?.name ?? ''}` : `Message ${botName}`;

  return (
    // data-viewer says whose snapshot is on screen (switching viewer refetches), for tests to wait on.
    <div class={thread && threadConversation ? 'app-shell app-shell-with-thread' : 'app-shell'} data-viewer={snapshot.viewer}>
      <TopBar people={snapshot.people} viewer={feed.viewer ?? viewer} onViewer={feed.setViewer} notices={snapshot.notices} timeZone={timeZone} />
      <ConnectionBar stream={feed.stream} loadError={feed.loadError} />
      <div class="app-body">
        <Sidebar
          workspace={snapshot.workspace}
          channels={channelsOf(snapshot)}
          selection={selection}
          botName={botName}
          onSelect={select}
          attacker={attackerWanted ?? snapshot.attacker}
          attackerBusy={attackerWanted !== null}
          onAttacker={(on) => void toggleAttacker(on)}
        />
        <main class="app-main">
          {header}
          {homeOpen ? (
            <Home home={snapshot.home} page={page} botName={botName} />
          ) : conversation ? (
            <Conversation
              key={`${viewer}:${conversation.id}`}
              conversation={conversation}
              ephemerals={snapshot.ephemerals}
              page={page}
              botName={botName}
              composerLabel={composerLabel}
              onOpenThread={(ts) => setThread({ channel: conversation.id, ts })}
              onCommand={(line) => attempt(api.command({ user: viewer, channel: conversation.id, line }))}
            />
          ) : (
            <p class="app-empty app-main-empty">{botDm ? 'Nothing to show here.' : `You have no direct messages with ${botName} yet.`}</p>
          )}
        </main>
        {thread && threadConversation && (
          <Thread
            conversation={threadConversation}
            parentTs={thread.ts}
            ephemerals={snapshot.ephemerals}
            page={page}
            botName={botName}
            onClose={() => setThread(null)}
          />
        )}
      </div>
      {snapshot.modal && (
        <Modal
          key={modalKey(snapshot.modal)}
          modal={snapshot.modal}
          errors={snapshot.modalErrors}
          page={page}
          onSubmit={async (values: StateValues) => {
            if (snapshot.modal) await attempt(api.submit({ user: viewer, viewId: snapshot.modal.id, values }));
          }}
          onClose={async () => {
            if (snapshot.modal) await attempt(api.close({ user: viewer, viewId: snapshot.modal.id }));
          }}
        />
      )}
      <Toasts toasts={props.toasts.toasts} onDismiss={props.toasts.dismiss} />
    </div>
  );
}
