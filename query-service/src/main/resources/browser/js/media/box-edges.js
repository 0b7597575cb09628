// The 12 edges of a box given as 8 corners in any order: from each corner, the three edges are
// the three mutually orthogonal corner-to-corner vectors that add up to the space diagonal.

/** Pairs [i, j] of corner indices joined by an edge (each pair once). */
export function boxEdges(corners) {
  const edges = new Set();
  corners.forEach((_, i) => {
    for (const j of edgeNeighbours(corners, i)) edges.add(i < j ? `${i},${j}` : `${j},${i}`);
  });
  return [...edges].map((pair) => pair.split(',').map(Number));
}

function edgeNeighbours(corners, i) {
  const vectors = corners.map((c, j) => ({ j, v: sub(c, corners[i]) })).filter((e) => e.j !== i);
  const diagonal = vectors.reduce((best, e) => (norm(e.v) > norm(best.v) ? e : best));
  const others = vectors.filter((e) => e !== diagonal);
  const scale = norm(diagonal.v) || 1;
  for (let a = 0; a < others.length; a++) {
    for (let b = a + 1; b < others.length; b++) {
      for (let c = b + 1; c < others.length; c++) {
        const [u, v, w] = [others[a].v, others[b].v, others[c].v];
        const orthogonal = [[u, v], [u, w], [v, w]].every(([p, q]) => Math.abs(dot(p, q)) <= 1e-3 * scale * scale);
        if (orthogonal && norm(sub(add(add(u, v), w), diagonal.v)) <= 1e-3 * scale) {
          return [others[a].j, others[b].j, others[c].j];
        }
      }
    }
  }
  // not a cuboid: join each corner to its three nearest
  return others.concat(diagonal).sort((p, q) => norm(p.v) - norm(q.v)).slice(0, 3).map((e) => e.j);
}

const sub = (p, q) => [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
const add = (p, q) => [p[0] + q[0], p[1] + q[1], p[2] + q[2]];
const dot = (p, q) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
const norm = (p) => Math.sqrt(dot(p, p));
