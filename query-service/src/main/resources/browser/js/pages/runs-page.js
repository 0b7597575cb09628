// The runs page: every project, and its runs with their item counts, steps and times.
import { getJson, paths } from '../api.js';
import { formatCount, formatTime, h, replace } from '../dom.js';
import { markFirstPanel } from '../perf.js';

const REFRESH_MS = 10_000;

/** Draws the page into root; returns a function that stops its refreshing. */
export function showRunsPage(root) {
  let timer = null;
  let stopped = false;
  const refresh = async () => {
    try {
      const { projects } = await getJson(paths.projects());
      const sections = await Promise.all(projects.map(projectSection));
      if (stopped) return;
      replace(root, h('h1', {}, 'Runs'),
        projects.length ? sections : h('p', { class: 'muted' }, 'Nothing logged yet.'));
      markFirstPanel();
    } catch (e) {
      if (!stopped) replace(root, h('p', { class: 'error' }, `Could not load the runs: ${e.message}`));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  };
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

async function projectSection(project) {
  const { runs } = await getJson(paths.runs(project.project));
  return h('section', { class: 'project', dataset: { project: project.project } },
    h('h2', {}, project.project, h('span', { class: 'muted' },
      ` · ${formatCount(project.runs)} runs · ${formatCount(project.items)} items`)),
    h('table', { class: 'runs' },
      h('thead', {}, h('tr', {}, ['run', 'items', 'keys', 'steps', 'by type', 'first logged', 'last logged']
        .map((c) => h('th', {}, c)))),
      h('tbody', {}, runs.map((run) => runRow(project.project, run)))));
}

function runRow(project, run) {
  const href = `#/projects/${encodeURIComponent(project)}/runs/${encodeURIComponent(run.run)}`;
  const byType = Object.entries(run.counts || {}).filter(([, n]) => n > 0)
    .map(([type, n]) => `${type} ${formatCount(n)}`).join(' · ');
  const steps = run.first_step === null ? 'summary only' : `${run.first_step} – ${run.last_step}`;
  return h('tr', { class: 'run', dataset: { run: run.run } },
    h('td', {}, h('a', { href }, run.run)),
    h('td', { class: 'num' }, formatCount(run.items)),
    h('td', { class: 'num' }, formatCount(run.keys)),
    h('td', {}, steps),
    h('td', { class: 'muted' }, byType),
    h('td', {}, formatTime(run.first_logged_at)),
    h('td', {}, formatTime(run.last_logged_at)));
}
