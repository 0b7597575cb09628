// One panel per logged key: a title, then (once the panel scrolls into view) a body chosen by
// the key's media type. Nothing of a key is fetched before its panel is near the viewport.
import { formatCount, h, whenVisible } from '../dom.js';
import { mountHistogramPanel } from './histogram-panel.js';
import { mountImagePanel, mountItemsPanel } from './items-panel.js';
import { mountPointCloudPanel } from './pointcloud-panel.js';

const BODIES = {
  image: mountImagePanel,
  histogram: mountHistogramPanel,
  object3D: mountPointCloudPanel,
};

/**
 * @param ctx {project, run}
 * @param keyInfo one element of the keys endpoint's "keys"
 * @returns {element, update(keyInfo), stop()}
 */
export function createKeyPanel(ctx, keyInfo) {
  const facts = h('span', { class: 'muted facts' });
  const body = h('div', { class: 'panel-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const element = h('section', {
    class: `panel panel-${keyInfo.media_type}`, dataset: { key: keyInfo.key, mediaType: keyInfo.media_type },
  }, h('h3', {}, keyInfo.key, ' ', h('span', { class: 'badge' }, keyInfo.media_type), ' ', facts), body);
  let mounted = null;
  let stopped = false;

  const update = (info) => {
    facts.textContent = `${formatCount(info.items)} items · ${formatCount(info.steps)} steps `
      + `(${info.first_step} – ${info.last_step})`;
  };
  update(keyInfo);

  const unobserve = whenVisible(element, () => {
    if (stopped) return;
    const mount = BODIES[keyInfo.media_type] || mountItemsPanel;
    mounted = mount(body, { ...ctx, key: keyInfo.key, info: keyInfo });
  });

  return {
    element,
    update,
    stop() {
      stopped = true;
      unobserve();
      if (mounted) mounted.stop();
    },
  };
}
