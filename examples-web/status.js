// The status area at the top of the page: every outcome of a control, and
// every error (with the package's own `name: message`), is shown there.

const box = () => document.getElementById('status');

/** `err.name: err.message` for errors, the value as text otherwise. */
export function errorText(err) {
  if (err !== null && typeof err === 'object' && typeof err.message === 'string') {
    return `${err.name ?? 'Error'}: ${err.message}`;
  }
  return String(err);
}

/** kind: "ok", "info", "error" or "ready". */
export function setStatus(kind, text) {
  const status = box();
  status.dataset.kind = kind;
  status.textContent = text;
}

// Nothing fails silently: uncaught errors and rejections land in the status area too.
window.addEventListener('error', (e) => setStatus('error', `Unexpected error — ${errorText(e.error ?? e.message)}`));
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  setStatus('error', `Unexpected error — ${errorText(e.reason)}`);
});
