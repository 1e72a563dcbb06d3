/** The bot's App Home tab as the bot last published it for the viewer. */
import type { OpenView } from '../../protocol';
import { Blocks } from '../blockkit';
import type { PageContext } from './page-context';
import { renderContextFor } from './page-context';
import { viewBlocks } from './view-text';

export function Home(props: { home: OpenView | null; page: PageContext; botName: string }) {
  if (!props.home) {
    return (
      <div class="app-home app-home-empty" role="status">
        <p class="app-empty-title">{props.botName} has not published a Home tab for you yet.</p>
        <p class="app-empty">Opening this tab asked the bot to publish it; it appears here as soon as the bot does.</p>
      </div>
    );
  }
  return (
    <div class="app-home">
      <Blocks blocks={viewBlocks(props.home.view)} ctx={renderContextFor(props.page, { kind: 'view', viewId: props.home.id })} />
    </div>
  );
}
