// A panel of a key's items at one step, as a grid of cards: images (with their boxes, masks
// and the panel's overlay controls), video, audio, tables, HTML, molecules, ….
import { itemsOfStep } from '../api.js';
import { h, replace } from '../dom.js';
import { renderItems } from '../media/render-item.js';
import { markFirstPanel } from '../perf.js';
import { OverlayControls } from './overlay-controls.js';
import { createStepSlider } from './step-slider.js';

/** Mounts into body; returns {stop}. ctx: {project, run, key, info}. */
export function mountItemsPanel(body, ctx) {
  const grid = h('div', { class: 'grid' });
  const controls = new OverlayControls(() => controls.apply(grid));
  let generation = 0;

  const showStep = async (step) => {
    const mine = ++generation;
    try {
      const items = await itemsOfStep(ctx.project, ctx.run, ctx.key, step);
      if (mine !== generation) return;
      controls.update(items);
      replace(grid);
      renderItems(grid, items, controls, { size: ctx.info.media_type === 'image' ? 256 : 320 });
      grid.dataset.step = step;
      grid.dataset.items = items.length;
      controls.apply(grid);
      if (ctx.info.media_type !== 'image') markFirstPanel();
    } catch (e) {
      if (mine === generation) replace(grid, h('p', { class: 'error' }, `Could not load step ${step}: ${e.message}`));
    }
  };

  const slider = createStepSlider(ctx, showStep);
  replace(body, slider.element, controls.element, grid);
  slider.start();
  return { stop: slider.stop };
}

export const mountImagePanel = mountItemsPanel;
