// Colours: one per class id (boxes, masks) and one per point category (1..14).

const CLASS_COLOURS = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4',
  '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3', '#808000', '#ffd8b1', '#000075',
  '#a9a9a9', '#ffe119',
];

/** The CSS colour of a class id (stable across panels and pages). */
export function classColour(id) {
  const n = CLASS_COLOURS.length;
  return CLASS_COLOURS[((Number(id) % n) + n) % n];
}

/** [r, g, b] (0..255) of a class id. */
export function classRgb(id) {
  const hex = classColour(id);
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** [r, g, b] (0..1) of a point category c in [1, 14] (others wrap). */
export function categoryRgb(c) {
  return classRgb(c).map((v) => v / 255);
}
