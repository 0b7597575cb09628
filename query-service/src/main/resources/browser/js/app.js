// The media browser's entry point: a hash router over two pages (runs, run) and the sign-in
// form when the service asks for a read key.
import { getJson, paths, signIn } from './api.js';
import { h, replace } from './dom.js';
import { showRunsPage } from './pages/runs-page.js';
import { showRunPage } from './pages/run-page.js';

const app = document.getElementById('app');
const crumbs = document.getElementById('crumbs');
let leaveCurrentPage = () => {};

/** #/ → runs of every project; #/projects/{p}/runs/{r} → one run. */
function route() {
  leaveCurrentPage();
  leaveCurrentPage = () => {};
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 4 && parts[0] === 'projects' && parts[2] === 'runs') {
    const [, project, , run] = parts;
    replace(crumbs, h('a', { href: '#/' }, 'runs'), ' / ', project, ' / ', h('strong', {}, run));
    leaveCurrentPage = showRunPage(app, project, run);
  } else {
    replace(crumbs, h('strong', {}, 'runs'));
    leaveCurrentPage = showRunsPage(app);
  }
}

/** With keys on and no cookie yet, ask for a read key first. */
async function start() {
  try {
    const session = await getJson(paths.session());
    if (session.auth_required && !session.authenticated) {
      showSignIn();
      return;
    }
  } catch (e) {
    // an older service without /session: go on, the API will say 401 if it needs a key
  }
  window.addEventListener('hashchange', route);
  route();
}

function showSignIn() {
  const input = h('input', { type: 'password', placeholder: 'mf_…', size: 50, id: 'api-key' });
  const message = h('p', { class: 'error' });
  const form = h('form', {
    class: 'card sign-in',
    onSubmit: async (event) => {
      event.preventDefault();
      try {
        await signIn(input.value.trim());
        start();
      } catch (e) {
        message.textContent = `That key was refused (${e.message}).`;
      }
    },
  }, h('h2', {}, 'Sign in'), h('p', {}, 'This service needs a read key (bin/mediaflow ops keys create --scope read).'),
  input, ' ', h('button', { type: 'submit' }, 'Sign in'), message);
  replace(app, form);
}

start();
