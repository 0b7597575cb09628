// A molecule: a 2D drawing of its molfile/SDF (atoms and bonds from the connection table; the
// transform gives SMILES 2D coordinates) and the file's text. Other formats (pdb, cif, …)
// show their text.
import { h } from '../dom.js';

const ELEMENT_COLOURS = { O: '#d33', N: '#33d', S: '#cc3', P: '#f80', F: '#3a3', Cl: '#3a3', Br: '#a33', I: '#739' };

export function moleculeView(item) {
  const canvas = h('canvas', { class: 'molecule', width: 240, height: 200 });
  const text = h('pre', { class: 'molfile' });
  const element = h('div', { class: 'molecule-view' }, canvas,
    h('details', {}, h('summary', {}, `${item.format || 'file'} text`), text));
  fetch(item.url, { credentials: 'same-origin' }).then((r) => r.text()).then((body) => {
    text.textContent = body;
    const molecule = parseMolfile(body);
    if (molecule && molecule.atoms.length) drawMolecule(canvas, molecule);
    else canvas.remove();
  }).catch((e) => { text.textContent = `could not load: ${e.message}`; });
  return element;
}

/** Atoms {x, y, symbol} and bonds {a, b, order} of a V2000 molfile (the first record of an SDF), or null. */
export function parseMolfile(body) {
  const lines = body.split(/\r?\n/);
  const countsAt = lines.findIndex((line) => /V2000\s*$/.test(line));
  if (countsAt < 0) return null;
  const atomCount = parseInt(lines[countsAt].slice(0, 3), 10);
  const bondCount = parseInt(lines[countsAt].slice(3, 6), 10);
  const atoms = [];
  for (let i = 0; i < atomCount; i++) {
    const line = lines[countsAt + 1 + i] || '';
    atoms.push({ x: parseFloat(line.slice(0, 10)), y: parseFloat(line.slice(10, 20)), symbol: line.slice(31, 34).trim() });
  }
  const bonds = [];
  for (let i = 0; i < bondCount; i++) {
    const line = lines[countsAt + 1 + atomCount + i] || '';
    bonds.push({ a: parseInt(line.slice(0, 3), 10) - 1, b: parseInt(line.slice(3, 6), 10) - 1,
      order: parseInt(line.slice(6, 9), 10) });
  }
  return { atoms, bonds };
}

function drawMolecule(canvas, { atoms, bonds }) {
  const context = canvas.getContext('2d');
  const shown = atoms.some((a) => a.symbol !== 'H') ? atoms.filter((a) => a.symbol !== 'H') : atoms;
  const xs = shown.map((a) => a.x);
  const ys = shown.map((a) => a.y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
  const scale = Math.min(40, (Math.min(canvas.width, canvas.height) - 40) / span);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  const at = (a) => [canvas.width / 2 + (a.x - cx) * scale, canvas.height / 2 - (a.y - cy) * scale];
  context.strokeStyle = '#333';
  context.lineWidth = 1.5;
  // explicit hydrogens are left out, as chemists draw skeletal formulas
  const heavy = (i) => atoms[i] && atoms[i].symbol !== 'H';
  for (const bond of bonds) {
    if (heavy(bond.a) && heavy(bond.b)) drawBond(context, at(atoms[bond.a]), at(atoms[bond.b]), bond.order);
  }
  context.font = 'bold 13px sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (const atom of atoms) {
    if (atom.symbol === 'C' || atom.symbol === 'H') continue;
    const [x, y] = at(atom);
    context.fillStyle = '#fff';
    context.fillRect(x - 8, y - 8, 16, 16);
    context.fillStyle = ELEMENT_COLOURS[atom.symbol] || '#333';
    context.fillText(atom.symbol, x, y);
  }
}

function drawBond(context, [x1, y1], [x2, y2], order) {
  const length = Math.hypot(x2 - x1, y2 - y1) || 1;
  const [nx, ny] = [(-(y2 - y1) / length) * 3, ((x2 - x1) / length) * 3];
  const offsets = order === 2 ? [-1, 1] : order === 3 ? [-1.5, 0, 1.5] : [0];
  for (const k of offsets) {
    context.beginPath();
    context.moveTo(x1 + nx * k, y1 + ny * k);
    context.lineTo(x2 + nx * k, y2 + ny * k);
    context.stroke();
  }
}
