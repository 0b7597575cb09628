// The controls over the images of a panel: a toggle per class of each box group and mask
// group, a threshold slider per score of each box group, box captions on/off and the masks'
// opacity. The choices stay while the step changes.
import { h, replace } from '../dom.js';
import { classColour } from '../media/palette.js';

const SEP = '\u0000';

export class OverlayControls {
  /** @param onChange called after any control changed (the owner re-applies them). */
  constructor(onChange) {
    this.onChange = onChange;
    this.hidden = new Set();
    this.thresholds = new Map();
    this.maskOpacity = 0.4;
    this.boxCaptions = true;
    this.element = h('div', { class: 'overlay-controls' });
  }

  /** Rebuilds the controls for the groups, classes and scores of these items. */
  update(items) {
    const boxGroups = new Map();
    const maskGroups = new Map();
    for (const item of items) {
      for (const [group, data] of Object.entries(item.boxes || {})) collectBoxes(boxGroups, group, data);
      for (const [group, data] of Object.entries(item.masks || {})) collectLabels(maskGroups, group, data.class_labels);
    }
    const rows = [];
    for (const [group, g] of boxGroups) rows.push(this.boxRow(group, g));
    for (const [group, g] of maskGroups) rows.push(this.classRow('mask', group, g.classes));
    if (boxGroups.size) rows.push(this.captionToggle());
    if (maskGroups.size) rows.push(this.opacitySlider());
    replace(this.element, rows);
  }

  boxRow(group, g) {
    const sliders = [...g.scores.entries()].map(([score, range]) => this.scoreSlider(group, score, range));
    return h('div', { class: 'control-row' }, this.classRow('boxes', group, g.classes), sliders);
  }

  classRow(kind, group, classes) {
    const toggles = [...classes.entries()].sort((a, b) => a[0] - b[0]).map(([id, name]) => {
      const checkbox = h('input', {
        type: 'checkbox', class: 'class-toggle', checked: !this.hidden.has(group + SEP + id),
        dataset: { kind, group, class: id, label: name },
      });
      checkbox.addEventListener('change', () => {
        if (checkbox.checked) this.hidden.delete(group + SEP + id);
        else this.hidden.add(group + SEP + id);
        this.onChange();
      });
      return h('label', { class: 'toggle' }, checkbox, h('i', { class: 'swatch', style: { background: classColour(id) } }),
        name);
    });
    return h('span', { class: 'class-row' }, h('b', {}, `${kind} · ${group}:`), toggles);
  }

  scoreSlider(group, score, range) {
    const key = group + SEP + score;
    const value = this.thresholds.get(key) ?? range.min;
    const out = h('output', {}, value.toFixed(2));
    const slider = h('input', {
      type: 'range', class: 'score-threshold', min: range.min, max: range.max, step: (range.max - range.min) / 100 || 0.01,
      value, dataset: { group, score },
    });
    slider.addEventListener('input', () => {
      this.thresholds.set(key, Number(slider.value));
      out.textContent = Number(slider.value).toFixed(2);
      this.onChange();
    });
    return h('label', { class: 'score' }, `${score} ≥ `, slider, out);
  }

  captionToggle() {
    const checkbox = h('input', { type: 'checkbox', class: 'caption-toggle', checked: this.boxCaptions });
    checkbox.addEventListener('change', () => {
      this.boxCaptions = checkbox.checked;
      this.onChange();
    });
    return h('label', { class: 'toggle' }, checkbox, 'box captions');
  }

  opacitySlider() {
    const slider = h('input', {
      type: 'range', class: 'mask-opacity', min: 0, max: 1, step: 0.05, value: this.maskOpacity,
    });
    slider.addEventListener('input', () => {
      this.maskOpacity = Number(slider.value);
      this.onChange();
    });
    return h('label', { class: 'score' }, 'mask opacity ', slider);
  }

  isClassVisible(group, id) {
    return !this.hidden.has(group + SEP + id);
  }

  /** A box is drawn when its class is on and each of its scores reaches its threshold. */
  isBoxVisible(group, box) {
    if (!this.isClassVisible(group, box.class_id)) return false;
    for (const [score, value] of Object.entries(box.scores || {})) {
      const threshold = this.thresholds.get(group + SEP + score);
      if (threshold !== undefined && value < threshold) return false;
    }
    return true;
  }

  /** Shows/hides every drawn box and redraws every mask below root. */
  apply(root) {
    for (const el of root.querySelectorAll('.box')) {
      el.style.display = this.isBoxVisible(el.dataset.group, el.box) ? '' : 'none';
      el.classList.toggle('no-caption', !this.boxCaptions);
    }
    for (const canvas of root.querySelectorAll('canvas.mask')) {
      canvas.style.opacity = this.maskOpacity;
      if (canvas.redraw) canvas.redraw((id) => this.isClassVisible(canvas.dataset.group, id));
    }
  }
}

function collectBoxes(groups, group, data) {
  const g = groups.get(group) || { classes: new Map(), scores: new Map() };
  groups.set(group, g);
  for (const [id, name] of Object.entries(data.class_labels || {})) g.classes.set(Number(id), name);
  for (const box of data.box_data || []) {
    if (!g.classes.has(box.class_id)) g.classes.set(box.class_id, box.label || `class_${box.class_id}`);
    for (const [score, value] of Object.entries(box.scores || {})) {
      const range = g.scores.get(score) || { min: Math.min(0, value), max: Math.max(1, value) };
      range.min = Math.min(range.min, value);
      range.max = Math.max(range.max, value);
      g.scores.set(score, range);
    }
  }
}

function collectLabels(groups, group, labels) {
  const g = groups.get(group) || { classes: new Map() };
  groups.set(group, g);
  for (const [id, name] of Object.entries(labels || {})) g.classes.set(Number(id), name);
}
