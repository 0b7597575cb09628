// A point-cloud key: a step slider, a choice among the step's clouds, and one 3D viewer that
// is reused as the step changes (browsers allow only a few WebGL contexts per page).
import { itemsOfStep } from '../api.js';
import { h, replace } from '../dom.js';
import { pointCloudView } from '../media/pointcloud-view.js';
import { createStepSlider } from './step-slider.js';

/** Mounts into body; returns {stop}. */
export function mountPointCloudPanel(body, ctx) {
  const choice = h('select', { class: 'cloud-index', 'aria-label': 'cloud' });
  const caption = h('span', { class: 'muted' });
  const holder = h('div', { class: 'cloud-holder' }, h('p', { class: 'muted' }, 'Loading…'));
  let view = null;
  let items = [];
  let generation = 0;

  const showItem = (item) => {
    caption.textContent = item.caption ? ` ${item.caption}` : '';
    holder.dataset.step = item.step;
    holder.dataset.index = item.index;
    if (!view) {
      view = pointCloudView(item);
      replace(holder, view.element);
    } else {
      view.show(item);
    }
  };

  const showStep = async (step) => {
    const mine = ++generation;
    const loaded = await itemsOfStep(ctx.project, ctx.run, ctx.key, step);
    if (mine !== generation) return;
    items = loaded;
    replace(choice, items.map((it, i) => h('option', { value: i }, `#${it.index}`)));
    choice.hidden = items.length < 2;
    if (items.length) showItem(items[0]);
  };
  choice.addEventListener('change', () => showItem(items[Number(choice.value)]));

  const slider = createStepSlider(ctx, showStep);
  replace(body, slider.element, h('div', {}, choice, caption), holder);
  slider.start();
  return {
    stop() {
      slider.stop();
      if (view) view.dispose();
    },
  };
}
