// A histogram key as a heat map over steps, as TensorBoard's histogram dashboard offsets them:
// one column per logged step (x), the value axis (y), colour for how dense a bin is within its
// step. The slider (or a click on a column) picks a step, whose histogram is drawn as bars.
import { getJson, paths } from '../api.js';
import { h } from '../dom.js';
import { drawBars, formatEdge } from '../media/histogram-bars.js';
import { markFirstPanel } from '../perf.js';
import { createStepSlider } from './step-slider.js';

const HEIGHT = 180;

/** Mounts into body; returns {stop}. */
export function mountHistogramPanel(body, ctx) {
  const series = [];
  const heat = h('canvas', { class: 'heatmap', height: HEIGHT, width: 1 });
  const marker = h('div', { class: 'heat-marker' });
  const top = h('span', { class: 'axis-top muted' });
  const bottom = h('span', { class: 'axis-bottom muted' });
  const bars = h('canvas', { class: 'histogram-bars', width: 320, height: HEIGHT });
  const barsTitle = h('div', { class: 'muted' });
  let loading = null;
  let loadedThrough = -Infinity;

  const load = async (steps) => {
    const last = steps[steps.length - 1];
    if (last === undefined || last <= loadedThrough) return;
    const from = loadedThrough === -Infinity ? null : loadedThrough + 1;
    const page = await getJson(paths.histograms(ctx.project, ctx.run, ctx.key), { from });
    for (const entry of page.series) if (entry.step > loadedThrough && isFirstOfStep(series, entry)) series.push(entry);
    loadedThrough = Math.max(loadedThrough, ...page.series.map((e) => e.step), last);
    drawHeatMap(heat, series, top, bottom);
    markFirstPanel();
  };
  const onNewSteps = (steps) => {
    loading = (loading || Promise.resolve()).then(() => load(steps)).catch((e) => { barsTitle.textContent = e.message; });
  };
  const onStep = async (step) => {
    await loading;
    const at = series.findIndex((e) => e.step === step);
    if (at < 0) return;
    const width = Number(heat.dataset.columnWidth);
    Object.assign(marker.style, { left: `${at * width}px`, width: `${Math.max(2, width)}px` });
    drawBars(bars, series[at].edges, series[at].counts);
    barsTitle.textContent = `step ${step}`;
    bars.dataset.step = step;
  };

  const slider = createStepSlider(ctx, onStep, onNewSteps);
  heat.addEventListener('click', (event) => {
    const column = Math.floor(event.offsetX / Number(heat.dataset.columnWidth));
    if (series[column]) slider.select(series[column].step);
  });
  heat.addEventListener('mousemove', (event) => {
    const column = series[Math.floor(event.offsetX / Number(heat.dataset.columnWidth))];
    heat.title = column ? `step ${column.step}` : '';
  });
  body.replaceChildren(slider.element, h('div', { class: 'histogram-row' },
    h('div', { class: 'heat-axis' }, top, bottom),
    h('div', { class: 'heat-scroll' }, h('div', { class: 'heat-holder' }, heat, marker)),
    h('div', { class: 'bars-holder' }, barsTitle, bars)));
  slider.start();
  return { stop: slider.stop };
}

/** One column per step: the first histogram (lowest index) of each step. */
function isFirstOfStep(series, entry) {
  return series.length === 0 || series[series.length - 1].step !== entry.step;
}

function drawHeatMap(canvas, series, top, bottom) {
  const n = series.length;
  const columnWidth = n ? Math.max(1, Math.min(24, Math.floor(900 / n))) : 1;
  canvas.width = Math.max(1, n * columnWidth);
  canvas.dataset.columns = n;
  canvas.dataset.columnWidth = columnWidth;
  canvas.dataset.firstStep = n ? series[0].step : '';
  canvas.dataset.lastStep = n ? series[n - 1].step : '';
  const lo = Math.min(...series.map((e) => e.edges[0]));
  const hi = Math.max(...series.map((e) => e.edges[e.edges.length - 1]));
  top.textContent = n ? formatEdge(hi) : '';
  bottom.textContent = n ? formatEdge(lo) : '';
  const context = canvas.getContext('2d');
  context.fillStyle = '#f4f6fa';
  context.fillRect(0, 0, canvas.width, HEIGHT);
  const y = (v) => (hi > lo ? HEIGHT - ((v - lo) / (hi - lo)) * HEIGHT : HEIGHT / 2);
  series.forEach((entry, column) => drawColumn(context, entry, column * columnWidth, columnWidth, y));
}

/** Colours each bin by its density (count per unit of value) relative to the densest bin of its step. */
function drawColumn(context, { edges, counts }, x, width, y) {
  const densities = counts.map((c, i) => c / Math.max(1e-300, edges[i + 1] - edges[i]));
  const max = Math.max(...densities);
  if (!(max > 0)) return;
  densities.forEach((density, i) => {
    if (density <= 0) return;
    const top = y(edges[i + 1]);
    const height = Math.max(1, y(edges[i]) - top);
    context.fillStyle = ramp(density / max);
    context.fillRect(x, top, width, height);
  });
}

/** Pale blue (sparse) to deep purple (dense). */
function ramp(t) {
  const s = Math.sqrt(t);
  const r = Math.round(200 - 150 * s);
  const g = Math.round(220 - 200 * s);
  const b = Math.round(255 - 90 * s);
  return `rgb(${r},${g},${b})`;
}
