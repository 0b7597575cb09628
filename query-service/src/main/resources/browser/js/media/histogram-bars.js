// One histogram as bars (a summary histogram, or the selected step of a heat map).
import { h } from '../dom.js';

/** A canvas drawing counts over edges; metadata is {values: counts, bins: edges}. */
export function histogramBars(metadata, width = 320, height = 160) {
  const canvas = h('canvas', { class: 'histogram-bars', width, height });
  if (metadata && metadata.values && metadata.bins) drawBars(canvas, metadata.bins, metadata.values);
  return canvas;
}

/** Draws bars of counts between edges (edges has one more element than counts). */
export function drawBars(canvas, edges, counts) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const max = Math.max(1e-12, ...counts);
  const x = (v) => (hi > lo ? ((v - lo) / (hi - lo)) * (width - 2) + 1 : width / 2);
  context.fillStyle = '#4c8bf5';
  counts.forEach((count, i) => {
    const barHeight = (count / max) * (height - 16);
    context.fillRect(x(edges[i]), height - 14 - barHeight, Math.max(1, x(edges[i + 1]) - x(edges[i]) - 0.5), barHeight);
  });
  context.fillStyle = '#666';
  context.font = '10px sans-serif';
  context.fillText(formatEdge(lo), 1, height - 2);
  const right = formatEdge(hi);
  context.fillText(right, width - context.measureText(right).width - 1, height - 2);
}

export function formatEdge(v) {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toFixed(4)));
}
