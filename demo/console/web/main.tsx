/** Entry of the console page (bundled by esbuild into /app.js and /app.css at demo start). */
import { render } from 'preact';
import './blockkit/blockkit.css';
import './app/app.css';
import { App } from './app/App';

const root = document.getElementById('root');
// The server's index.html always has #root; without it there is nothing sensible to draw into.
if (root) render(<App />, root);
