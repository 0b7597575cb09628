// Draws any item of the API by its media type, as a captioned card in a grid.
import { h } from '../dom.js';
import { histogramBars } from './histogram-bars.js';
import { imageView } from './image-view.js';
import { moleculeView } from './molecule-view.js';
import { pointCloudView } from './pointcloud-view.js';
import { tableView } from './table-view.js';

const VIEWS = {
  image: (item, controls, options) => imageView(item, controls, options),
  histogram: (item) => histogramBars(item.metadata),
  object3D: (item) => pointCloudView(item).element,
  video: videoView,
  audio: (item) => h('audio', { controls: true, preload: 'none', src: item.url }),
  html: (item) => h('iframe', { class: 'html', sandbox: '', src: item.url, loading: 'lazy', title: item.key }),
  molecule: (item) => moleculeView(item),
  table: (item) => tableView(item),
};

/** Appends a card per item to grid. options: {withKey: name the key and step, size: image size}. */
export function renderItems(grid, items, controls, options = {}) {
  for (const item of items) grid.append(itemCard(item, controls, options));
}

export function itemCard(item, controls, options = {}) {
  const view = (VIEWS[item.media_type] || fallbackView)(item, controls, options);
  const where = options.withKey ? `${item.key} · ${item.summary ? 'summary' : `step ${item.step}`} · #${item.index}`
    : `#${item.index}`;
  return h('figure', {
    class: `item item-${item.media_type}`,
    dataset: { key: item.key, step: item.step, index: item.index, mediaType: item.media_type },
  }, view, h('figcaption', {}, h('span', { class: 'muted' }, where), item.caption ? ` ${item.caption}` : null,
    warnings(item)));
}

/** Logged videos are stored as GIF (frames) or as the file given (mp4, webm, ogg). */
function videoView(item) {
  if ((item.content_type || '').startsWith('image/')) return h('img', { src: item.url, loading: 'lazy', class: 'video-gif' });
  return h('video', { controls: true, preload: 'metadata', src: item.url });
}

function fallbackView(item) {
  return item.url ? h('a', { href: item.url, target: '_blank' }, `open ${item.content_type || 'object'}`)
    : h('span', { class: 'muted' }, 'no object');
}

function warnings(item) {
  return (item.warnings || []).length ? h('div', { class: 'warning' }, item.warnings.join('; ')) : null;
}
