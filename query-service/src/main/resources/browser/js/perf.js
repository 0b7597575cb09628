// Markers a benchmark (or a curious person, in the console) reads: when the page first drew data.

/**
 * Records, once per page load, the time the first panel showed its data:
 * window.mfFirstPanelMs (ms since navigation start) and the performance mark 'mf-first-panel'.
 */
export function markFirstPanel() {
  if (window.mfFirstPanelMs === undefined) {
    window.mfFirstPanelMs = performance.now();
    performance.mark('mf-first-panel');
  }
}

/** Records, once, the time the first point cloud was drawn: window.mfFirstCloudMs. */
export function markFirstCloud(points) {
  if (window.mfFirstCloudMs === undefined) {
    window.mfFirstCloudMs = performance.now();
    window.mfFirstCloudPoints = points;
    performance.mark('mf-first-cloud');
  }
}

/** The poll period of steps, in ms: 3000, or ?poll=N in the page's query string (tests use less). */
export function pollMs() {
  const value = Number(new URLSearchParams(location.search).get('poll'));
  return Number.isFinite(value) && value >= 200 ? value : 3000;
}
