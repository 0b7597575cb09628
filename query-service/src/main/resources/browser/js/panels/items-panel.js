// A panel of a key's items at one step, as a grid of cards: images (with their boxes, masks
// and the panel's overlay controls), video, audio, tables, HTML, molecules, …. A step's items
// come a page at a time: the next page is fetched when the end of the grid scrolls into view.
import { getJson, paths } from '../api.js';
import { h, replace, whenVisible } from '../dom.js';
import { renderItems } from '../media/render-item.js';
import { markFirstPanel } from '../perf.js';
import { OverlayControls } from './overlay-controls.js';
import { createStepSlider } from './step-slider.js';

const PAGE = 48;

/** Mounts into body; returns {stop}. ctx: {project, run, key, info}. */
export function mountItemsPanel(body, ctx) {
  const grid = h('div', { class: 'grid' });
  const more = h('div', { class: 'more muted' });
  const controls = new OverlayControls(() => controls.apply(grid));
  const size = ctx.info.media_type === 'image' ? 256 : 320;
  let generation = 0;

  const showStep = async (step) => {
    const mine = ++generation;
    const shown = [];
    const loadPage = async (cursor) => {
      const page = await getJson(paths.items(ctx.project, ctx.run, ctx.key), { step, limit: PAGE, cursor });
      if (mine !== generation) return;
      if (!cursor) replace(grid);
      shown.push(...page.items);
      controls.update(shown);
      renderItems(grid, page.items, controls, { size });
      grid.dataset.step = step;
      grid.dataset.items = shown.length;
      controls.apply(grid);
      if (ctx.info.media_type !== 'image') markFirstPanel();
      more.textContent = page.next_cursor ? 'more…' : '';
      if (page.next_cursor) whenVisible(more, () => loadPage(page.next_cursor).catch(fail));
    };
    const fail = (e) => {
      if (mine === generation) replace(grid, h('p', { class: 'error' }, `Could not load step ${step}: ${e.message}`));
    };
    await loadPage(null).catch(fail);
  };

  const slider = createStepSlider(ctx, showStep);
  replace(body, slider.element, controls.element, grid, more);
  slider.start();
  return { stop: slider.stop };
}

export const mountImagePanel = mountItemsPanel;
