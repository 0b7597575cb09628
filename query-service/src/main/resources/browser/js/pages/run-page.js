// The run page: the run's facts, its summary media (logged once, without a step) on the
// overview, then one panel per key with a step slider. New keys appear while the run logs.
import { getJson, paths } from '../api.js';
import { formatCount, formatTime, h, replace } from '../dom.js';
import { renderItems } from '../media/render-item.js';
import { createKeyPanel } from '../panels/key-panel.js';
import { OverlayControls } from '../panels/overlay-controls.js';
import { markFirstPanel, pollMs } from '../perf.js';

/** Draws the page into root; returns a function that stops its polling. */
export function showRunPage(root, project, run) {
  const ctx = { project, run };
  const panels = new Map();
  const facts = h('p', { class: 'muted run-facts' });
  const overview = h('section', { class: 'overview' });
  const list = h('div', { class: 'panels' });
  let timer = null;
  let stopped = false;
  replace(root, h('h1', {}, run, ' ', h('span', { class: 'muted' }, `in ${project}`)), facts, overview, list);

  const refresh = async (first) => {
    try {
      const [detail, keys] = await Promise.all([getJson(paths.run(project, run)), getJson(paths.keys(project, run))]);
      if (stopped) return;
      showFacts(facts, detail.run);
      if (first) showOverview(overview, detail.summary_items);
      addPanels(ctx, visibleKeys(keys.keys), panels, list);
    } catch (e) {
      if (first) replace(root, h('p', { class: 'error' }, `Could not load run ${run}: ${e.message}`));
      else facts.dataset.error = e.message;
      if (first) return;
    }
    if (!stopped) timer = setTimeout(() => refresh(false), Math.max(pollMs(), 5000));
  };
  refresh(true);
  return () => {
    stopped = true;
    clearTimeout(timer);
    panels.forEach((panel) => panel.stop());
  };
}

function showFacts(el, run) {
  const steps = run.first_step === null ? 'summary only' : `steps ${run.first_step} – ${run.last_step}`;
  el.textContent = `${formatCount(run.items)} items · ${formatCount(run.keys)} keys · ${steps} · `
    + `logged ${formatTime(run.first_logged_at)} – ${formatTime(run.last_logged_at)}`;
}

function showOverview(el, summaryItems) {
  if (!summaryItems || summaryItems.length === 0) {
    el.remove();
    return;
  }
  const controls = new OverlayControls(() => controls.apply(grid));
  const grid = h('div', { class: 'grid' });
  replace(el, h('h2', {}, 'Summary'), controls.element, grid);
  renderItems(grid, summaryItems, controls, { withKey: true });
  controls.update(summaryItems);
  controls.apply(grid);
  markFirstPanel();
}

/** Table cells are logged under "<table key>.cells" and drawn inside their table, not as panels of their own. */
function visibleKeys(keys) {
  const tables = new Set(keys.filter((k) => k.media_type === 'table').map((k) => k.key));
  return keys.filter((k) => !(k.key.endsWith('.cells') && tables.has(k.key.slice(0, -'.cells'.length))));
}

function addPanels(ctx, keys, panels, list) {
  for (const info of keys) {
    const existing = panels.get(info.key);
    if (existing) {
      existing.update(info);
    } else {
      const panel = createKeyPanel(ctx, info);
      panels.set(info.key, panel);
      list.append(panel.element);
    }
  }
  if (keys.length === 0 && !list.firstChild) list.append(h('p', { class: 'muted' }, 'No stepped media yet.'));
}
