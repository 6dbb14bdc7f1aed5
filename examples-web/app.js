// Entry point: loads and initialises the WebAssembly package, then starts the
// dashboard. A failure at either step is shown on the page, not only in the console.
import { errorText, setStatus } from './status.js';

let loaded = false;
try {
  const { default: init } = await import('/pkg/web/index.js');
  await init();
  loaded = true;
} catch (err) {
  setStatus('error', `Could not load the codomyrmex-events package from /pkg/ (run \`npm run build\`, then \`npm run web\`) — ${errorText(err)}`);
}
if (loaded) {
  try {
    await import('./dashboard.js');
  } catch (err) {
    setStatus('error', `The dashboard failed to start — ${errorText(err)}`);
  }
}
