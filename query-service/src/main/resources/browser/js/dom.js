// Tiny DOM helpers: build elements without a framework.

/**
 * Creates an element. attrs: plain attributes, plus `class`, `style` (object), `dataset`
 * (object) and `on<Event>` listeners; children: nodes, strings or arrays of them (null skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.includes(':') ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A short, readable time: "2026-12-02 10:52:10" in local time. */
export function formatTime(ms) {
  if (ms === null || ms === undefined) return '–';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

/**
 * Calls onVisible(el) once, the first time el comes near the viewport: how panels and images
 * load on demand instead of all at once.
 */
export function whenVisible(el, onVisible, margin = '300px') {
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      onVisible(el);
    }
  }, { rootMargin: margin });
  observer.observe(el);
  return () => observer.disconnect();
}
