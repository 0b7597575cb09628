// A step slider over the distinct logged steps of one key, kept up to date by polling the
// steps endpoint: new steps appear while a run is logging, and a slider at the newest step
// follows them.
import { getJson, paths } from '../api.js';
import { h } from '../dom.js';
import { pollMs } from '../perf.js';

/**
 * @param ctx {project, run, key}
 * @param onStep called with the chosen step (after a short pause while dragging)
 * @param onNewSteps called with the full steps array whenever it grew
 * @returns {element, steps(), step(), select(step), stop()}
 */
export function createStepSlider(ctx, onStep, onNewSteps = () => {}) {
  let steps = [];
  let position = -1;
  let timer = null;
  let debounce = null;
  let stopped = false;

  const input = h('input', { type: 'range', min: 0, max: 0, value: 0, class: 'step-range', 'aria-label': 'step' });
  const label = h('output', { class: 'step-label' });
  const prev = h('button', { type: 'button', title: 'previous step', onClick: () => move(-1) }, '◀');
  const next = h('button', { type: 'button', title: 'next step', onClick: () => move(1) }, '▶');
  const live = h('span', { class: 'live muted' });
  const element = h('div', { class: 'step-slider' }, prev, input, next, label, live);

  input.addEventListener('input', () => {
    position = Number(input.value);
    showLabel();
    clearTimeout(debounce);
    debounce = setTimeout(() => onStep(steps[position]), 60);
  });

  function move(delta) {
    const target = Math.min(steps.length - 1, Math.max(0, position + delta));
    if (target !== position) {
      position = target;
      sync();
      onStep(steps[position]);
    }
  }

  function sync() {
    input.max = Math.max(0, steps.length - 1);
    input.value = Math.max(0, position);
    showLabel();
  }

  function showLabel() {
    const step = steps[position];
    label.textContent = steps.length ? `step ${step}  (${position + 1} of ${steps.length})` : 'no steps yet';
    element.dataset.step = step ?? '';
    element.dataset.steps = steps.length;
  }

  async function poll() {
    try {
      const latest = (await getJson(paths.steps(ctx.project, ctx.run, ctx.key))).steps;
      if (stopped) return;
      if (latest.length !== steps.length) adopt(latest);
      live.textContent = '';
    } catch (e) {
      live.textContent = `(steps unavailable: ${e.message})`;
    }
    if (!stopped) timer = setTimeout(poll, pollMs());
  }

  function adopt(latest) {
    const wasAtEnd = position === steps.length - 1;
    const current = steps[position];
    steps = latest;
    position = wasAtEnd || current === undefined ? steps.length - 1 : Math.max(0, steps.indexOf(current));
    sync();
    onNewSteps(steps);
    if (wasAtEnd || current === undefined) onStep(steps[position]);
  }

  return {
    element,
    start: poll,
    steps: () => steps,
    step: () => steps[position],
    select(step) {
      const at = steps.indexOf(step);
      if (at >= 0 && at !== position) {
        position = at;
        sync();
        onStep(step);
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(debounce);
    },
  };
}
