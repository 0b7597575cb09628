// A logged table: its columns and rows, 50 rows at a time; media cells (references to items
// logged under "<key>.cells") are drawn as small cards.
import { getJson, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { itemCard } from './render-item.js';

const PAGE_ROWS = 50;

export function tableView(item) {
  const element = h('div', { class: 'table-view' }, h('p', { class: 'muted' }, 'Loading table…'));
  fetch(item.url, { credentials: 'same-origin' }).then((r) => r.json())
    .then((table) => showTable(element, item, table))
    .catch((e) => replace(element, h('p', { class: 'error' }, `could not load the table: ${e.message}`)));
  return element;
}

function showTable(element, item, table) {
  const cells = new CellItems(item);
  const body = h('tbody');
  const more = h('button', { type: 'button' }, 'more rows');
  let shown = 0;
  const showMore = () => {
    const rows = table.data.slice(shown, shown + PAGE_ROWS);
    rows.forEach((row) => body.append(h('tr', {}, row.map((cell) => h('td', {}, cellView(cell, cells))))));
    shown += rows.length;
    more.hidden = shown >= table.data.length;
    more.textContent = `more rows (${shown} of ${table.data.length})`;
  };
  more.addEventListener('click', showMore);
  replace(element, h('table', { class: 'logged-table' },
    h('thead', {}, h('tr', {}, table.columns.map((c) => h('th', {}, c)))), body), more);
  showMore();
}

function cellView(cell, cells) {
  if (cell === null || cell === undefined) return h('span', { class: 'muted' }, '–');
  if (typeof cell === 'object' && cell._ref) {
    const slot = h('div', { class: 'cell-media' }, h('span', { class: 'muted' }, cell._type));
    cells.find(cell._ref).then((found) => {
      if (found) replace(slot, itemCard(found, null, { size: 96 }));
    });
    return slot;
  }
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

/** The items a table's cells refer to ({project}/{run}/{key}/{step}/{index}), one fetch per key and step. */
class CellItems {
  constructor(table) {
    this.table = table;
    this.pages = new Map();
  }

  async find(ref) {
    const parts = ref.split('/');
    const [key, step, index] = parts.slice(-3);
    const name = decodeURIComponent(key);
    const cacheKey = `${name}/${step}`;
    if (!this.pages.has(cacheKey)) {
      this.pages.set(cacheKey, getJson(paths.items(this.table.project, this.table.run, name), { step, limit: 1000 })
        .then((page) => page.items).catch(() => []));
    }
    return (await this.pages.get(cacheKey)).find((it) => String(it.index) === index);
  }
}
