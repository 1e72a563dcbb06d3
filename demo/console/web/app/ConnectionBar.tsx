/** Says plainly when the page lost the console server; the stream reconnects on its own meanwhile. */
import type { StreamState } from './use-snapshot';

export function ConnectionBar(props: { stream: StreamState; loadError: string | null }) {
  if (props.stream === 'lost') {
    return (
      <div class="app-connection" role="alert">
        Disconnected — is npm run demo still running? Reconnecting…
      </div>
    );
  }
  if (props.loadError !== null) {
    return (
      <div class="app-connection" role="alert">
        {props.loadError}
      </div>
    );
  }
  return null;
}
