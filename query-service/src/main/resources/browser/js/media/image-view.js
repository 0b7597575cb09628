// One image with its boxes (an SVG drawn in the image's own pixel coordinates, so a box logged
// at pixel x is drawn at x whatever the displayed size) and its masks (a canvas per group,
// coloured by class). The picture itself is the server-made preview, loaded once visible.
import { h, whenVisible } from '../dom.js';
import { markFirstPanel } from '../perf.js';
import { classColour, classRgb } from './palette.js';

/**
 * @param item an Item of the API (media_type image)
 * @param controls the panel's OverlayControls (what is shown), or null to show everything
 * @param options {size: longest displayed side in CSS px, full: load the original, not the preview}
 */
export function imageView(item, controls, options = {}) {
  const width = item.width || 1;
  const height = item.height || 1;
  // small images are enlarged at most 4× (pixelated), large ones shrunk to the panel's size
  const size = Math.min(options.size || 256, Math.max(96, 4 * Math.max(width, height)));
  const scale = size / Math.max(width, height);
  const display = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const img = h('img', { class: 'picture', alt: item.caption || `${item.key} ${item.step}/${item.index}`, width: display.width,
    height: display.height, style: { imageRendering: scale > 1.5 ? 'pixelated' : 'auto' } });
  const masks = Object.entries(item.masks || {}).map(([group, mask]) => maskCanvas(group, mask, width, height));
  const frame = h('div', { class: 'frame', style: { width: `${display.width}px`, height: `${display.height}px` } },
    img, masks, boxesSvg(item, width, height, display.width));
  img.addEventListener('load', markFirstPanel, { once: true });
  if (!options.full) frame.addEventListener('click', () => openLightbox(item, controls));
  whenVisible(frame, () => {
    img.src = options.full || !item.preview_url ? item.url : `${item.preview_url}?size=${previewSize(size)}`;
    masks.forEach((canvas) => canvas.load());
    if (controls) controls.apply(frame);
  });
  return frame;
}

/** The original image, as large as the window allows, with the same overlays; a click or Escape closes it. */
function openLightbox(item, controls) {
  const size = Math.min(window.innerWidth - 80, window.innerHeight - 120, 4 * Math.max(item.width, item.height));
  const box = h('div', { class: 'lightbox' }, h('figure', {}, imageView(item, controls, { size, full: true }),
    h('figcaption', {}, `${item.key} · step ${item.step} · #${item.index} ${item.caption || ''} (${item.width}×${item.height})`)));
  const close = () => {
    box.remove();
    document.removeEventListener('keydown', onKey);
  };
  const onKey = (event) => event.key === 'Escape' && close();
  box.addEventListener('click', close);
  document.addEventListener('keydown', onKey);
  document.body.append(box);
}

/** The preview's longest side: the displayed size times the device's pixel ratio, in steps of 128. */
function previewSize(size) {
  const wanted = size * (window.devicePixelRatio || 1);
  return Math.min(1024, Math.max(128, Math.ceil(wanted / 128) * 128));
}

function boxesSvg(item, width, height, displayWidth) {
  const fontSize = (12 * width) / displayWidth;
  const boxes = [];
  for (const [group, data] of Object.entries(item.boxes || {})) {
    (data.box_data || []).forEach((box, i) => boxes.push(boxElement(group, box, i, fontSize)));
  }
  return h('svg:svg', { class: 'boxes', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' }, boxes);
}

function boxElement(group, box, i, fontSize) {
  const p = box.px;
  const colour = classColour(box.class_id);
  const caption = box.box_caption || [box.label, ...Object.entries(box.scores || {})
    .map(([k, v]) => `${k} ${Number(v).toFixed(2)}`)].filter(Boolean).join(' ');
  const g = h('svg:g', { class: 'box', dataset: { group, class: box.class_id, label: box.label || '', index: i } },
    h('svg:rect', { x: p.min_x, y: p.min_y, width: Math.max(0, p.max_x - p.min_x), height: Math.max(0, p.max_y - p.min_y),
      stroke: colour, fill: 'none', 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' }),
    h('svg:text', { x: p.min_x, y: Math.max(fontSize, p.min_y - fontSize * 0.25), fill: colour, 'font-size': fontSize,
      'stroke-width': fontSize * 0.3, class: 'box-caption' }, caption));
  g.box = box;
  return g;
}

/** A canvas of the mask's class ids, coloured; redraw(isVisible) hides classes. */
function maskCanvas(group, mask, width, height) {
  const canvas = h('canvas', { class: 'mask', width, height, dataset: { group } });
  let ids = null;
  // ids named in class_labels are painted (all but 0 when the group names none: 0 is background)
  const labelled = Object.keys(mask.class_labels || {}).map(Number);
  const painted = labelled.length ? (id) => labelled.includes(id) : (id) => id !== 0;
  let isVisible = painted;
  canvas.redraw = (visible) => {
    isVisible = (id) => painted(id) && visible(id);
    if (ids) paint(canvas, ids, isVisible);
  };
  canvas.load = () => {
    const picture = new Image();
    picture.onload = () => {
      ids = classIds(picture, width, height);
      paint(canvas, ids, isVisible);
    };
    picture.src = mask.url;
  };
  return canvas;
}

function classIds(picture, width, height) {
  const scratch = document.createElement('canvas');
  scratch.width = width;
  scratch.height = height;
  const context = scratch.getContext('2d', { willReadFrequently: true });
  context.drawImage(picture, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const ids = new Uint8Array(width * height);
  for (let i = 0; i < ids.length; i++) ids[i] = rgba[i * 4];
  return ids;
}

function paint(canvas, ids, isVisible) {
  const context = canvas.getContext('2d');
  const image = context.createImageData(canvas.width, canvas.height);
  const colours = new Map();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    let rgb = colours.get(id);
    if (rgb === undefined) {
      rgb = isVisible(id) ? classRgb(id) : null;
      colours.set(id, rgb);
    }
    if (rgb) {
      image.data[i * 4] = rgb[0];
      image.data[i * 4 + 1] = rgb[1];
      image.data[i * 4 + 2] = rgb[2];
      image.data[i * 4 + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}
