// A point cloud in a three.js viewer: orbit controls, colours from the cloud (RGB, category
// palette, or height), the scene's boxes and vectors, the point count, and a visible note when
// the pipeline truncated the cloud. three.js is loaded only when a cloud is first shown.
import { formatCount, h, replace, whenVisible } from '../dom.js';
import { markFirstCloud, markFirstPanel } from '../perf.js';
import { parsePly } from './ply.js';
import { categoryRgb } from './palette.js';
import { boxEdges } from './box-edges.js';

/** @returns {element, show(item), dispose()}; the first item is drawn once the view is visible. */
export function pointCloudView(firstItem) {
  const info = h('div', { class: 'cloud-info' });
  const stage = h('div', { class: 'cloud-stage' });
  const legend = h('div', { class: 'cloud-legend muted' });
  const size = h('input', { type: 'range', min: 1, max: 8, step: 0.5, value: 2, class: 'point-size' });
  const element = h('div', { class: 'cloud-view' }, info, stage,
    h('div', { class: 'cloud-controls muted' }, h('label', {}, 'point size ', size), ' drag to orbit, wheel to zoom'), legend);
  let viewer = null;
  let current = firstItem;
  let generation = 0;

  const show = async (item) => {
    current = item;
    const mine = ++generation;
    if (!viewer) return;
    if (!item.ply_url) {
      replace(info, `${item.format || 'mesh'} file: `, h('a', { href: item.url, target: '_blank' }, 'download'));
      viewer.clear();
      return;
    }
    info.textContent = 'Loading points…';
    try {
      const [cloud, scene] = await Promise.all([fetchPly(item.ply_url), fetchScene(item.ply_url)]);
      if (mine !== generation) return;
      viewer.draw(cloud, scene, Number(size.value));
      showInfo(info, item, cloud);
      showLegend(legend, cloud, scene);
      element.dataset.points = cloud.count;
      markFirstCloud(cloud.count);
      markFirstPanel();
    } catch (e) {
      if (mine === generation) info.textContent = `Could not draw this cloud: ${e.message}`;
    }
  };

  size.addEventListener('input', () => viewer && viewer.setPointSize(Number(size.value)));
  whenVisible(element, async () => {
    viewer = await createViewer(stage);
    show(current);
  });
  return { element, show, dispose: () => viewer && viewer.dispose() };
}

async function fetchPly(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} for the PLY`);
  return parsePly(await response.arrayBuffer());
}

async function fetchScene(plyUrl) {
  const response = await fetch(plyUrl.replace(/\/pointcloud\.ply$/, '/scene'), { credentials: 'same-origin' });
  return response.ok ? response.json() : { boxes: [], vectors: [] };
}

function showInfo(info, item, cloud) {
  const points = item.points || {};
  const count = h('span', { class: 'point-count' }, `${formatCount(cloud.count)} points`);
  if (points.truncated) {
    replace(info, count, h('span', { class: 'truncation warning' },
      ` truncated: ${formatCount(points.kept ?? cloud.count)} of ${formatCount(points.original)} points kept`
      + ` (${points.strategy || 'head'}, limit ${formatCount(points.limit)})`));
  } else {
    replace(info, count);
  }
}

function showLegend(legend, cloud, scene) {
  const parts = [];
  if (cloud.categories) parts.push('colour: category');
  else if (cloud.colours) parts.push('colour: RGB of the points');
  else parts.push('colour: height (z)');
  for (const box of scene.boxes || []) {
    if (box.label) parts.push(`${box.label}${box.score !== undefined ? ` ${Number(box.score).toFixed(2)}` : ''}`);
  }
  legend.textContent = parts.join(' · ');
}

/** The three.js part: one renderer per view, redrawn only when something changed. */
async function createViewer(stage) {
  const THREE = await import('three');
  const { OrbitControls } = await import('three/addons/controls/OrbitControls.js');
  const width = stage.clientWidth || 640;
  const height = stage.clientHeight || 420;
  // preserveDrawingBuffer: the canvas can be read back (toDataURL), e.g. by the browser tests
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  renderer.setSize(width, height);
  renderer.setClearColor(0x111318);
  stage.append(renderer.domElement);
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(50, width / height, 0.01, 1e7);
  camera.up.set(0, 0, 1);
  const controls = new OrbitControls(camera, renderer.domElement);
  const content = new THREE.Group();
  scene.add(content);
  const render = () => renderer.render(scene, camera);
  controls.addEventListener('change', render);
  let material = null;

  return {
    draw(cloud, sceneParts, pointSize) {
      clearGroup(content);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(cloud.positions, 3));
      const colours = pointColours(cloud);
      // RGB bytes are normalized to 0..1 by the attribute; palette and ramp colours already are
      geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3, colours instanceof Uint8Array));
      material = new THREE.PointsMaterial({ size: pointSize, sizeAttenuation: false, vertexColors: true });
      content.add(new THREE.Points(geometry, material));
      addBoxes(THREE, content, sceneParts.boxes || []);
      addVectors(THREE, content, sceneParts.vectors || []);
      frame(THREE, camera, controls, geometry);
      render();
    },
    setPointSize(value) {
      if (material) {
        material.size = value;
        render();
      }
    },
    clear() {
      clearGroup(content);
      render();
    },
    dispose() {
      clearGroup(content);
      controls.dispose();
      renderer.dispose();
    },
  };
}

/** Colours as the cloud has them: RGB (0..255), category palette, or a ramp over z. */
function pointColours(cloud) {
  if (cloud.colours) return cloud.colours;
  const out = new Float32Array(cloud.count * 3);
  if (cloud.categories) {
    const cache = new Map();
    for (let i = 0; i < cloud.count; i++) {
      const c = cloud.categories[i];
      if (!cache.has(c)) cache.set(c, categoryRgb(c));
      out.set(cache.get(c), i * 3);
    }
    return out;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 2; i < cloud.positions.length; i += 3) {
    lo = Math.min(lo, cloud.positions[i]);
    hi = Math.max(hi, cloud.positions[i]);
  }
  for (let i = 0; i < cloud.count; i++) {
    const t = hi > lo ? (cloud.positions[i * 3 + 2] - lo) / (hi - lo) : 0.5;
    out[i * 3] = 0.2 + 0.8 * t;
    out[i * 3 + 1] = 0.4 + 0.5 * (1 - Math.abs(t - 0.5) * 2);
    out[i * 3 + 2] = 1 - 0.8 * t;
  }
  return out;
}

function addBoxes(THREE, group, boxes) {
  for (const box of boxes) {
    if (!Array.isArray(box.corners) || box.corners.length !== 8) continue;
    const vertices = [];
    for (const [a, b] of boxEdges(box.corners)) vertices.push(...box.corners[a], ...box.corners[b]);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.Float32BufferAttribute(vertices, 3));
    group.add(new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ color: rgbColour(THREE, box.color) })));
  }
}

function addVectors(THREE, group, vectors) {
  for (const vector of vectors) {
    const start = new THREE.Vector3(...vector.start);
    const direction = new THREE.Vector3(...vector.end).sub(start);
    const length = direction.length();
    if (length === 0) continue;
    group.add(new THREE.ArrowHelper(direction.normalize(), start, length, rgbColour(THREE, vector.color), length * 0.15,
      length * 0.07));
  }
}

function rgbColour(THREE, rgb) {
  return Array.isArray(rgb) ? new THREE.Color(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255) : new THREE.Color(0xffffff);
}

/** Points the camera at the cloud's bounding sphere, from above and aside. */
function frame(THREE, camera, controls, geometry) {
  geometry.computeBoundingSphere();
  const { center, radius } = geometry.boundingSphere;
  const r = Math.max(radius, 1e-6);
  const distance = r / Math.sin((camera.fov * Math.PI) / 360) * 1.05;
  camera.position.copy(center).add(new THREE.Vector3(0.6, -0.6, 0.5).normalize().multiplyScalar(distance));
  camera.near = distance / 1000;
  camera.far = distance * 10;
  camera.updateProjectionMatrix();
  controls.target.copy(center);
  controls.update();
}

function clearGroup(group) {
  for (const child of [...group.children]) {
    group.remove(child);
    child.traverse((o) => {
      if (o.geometry) o.geometry.dispose();
      if (o.material) o.material.dispose();
    });
  }
}
