"""Media classes with the reference SDK's constructor arguments.

Each class checks at construction what the reference checks there (raising the same kind of
error with the same meaning), takes a private copy of its arrays (a snapshot: the caller may
reuse its buffers at once) and does *no* encoding: normalisation, PNG/GIF/WAV encoding and
histogram binning happen in the mediaflow stream. ``_spec(parts)`` turns an item into the
JSON of the gateway's log call (see the README table of ``_type`` fields), registering the
arrays and files it needs as request parts.
"""

from __future__ import annotations

import io
import math
import os
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

__all__ = ["Media", "Image", "Histogram", "Object3D", "Video", "Audio", "Table", "Html", "Molecule"]

# dtypes the gateway reads from .npy parts; others are converted to the nearest of them
_NPY_DTYPES = {"uint8", "int8", "uint16", "int16", "int32", "int64", "float32", "float64"}


class Parts:
    """The non-JSON parts of one request: arrays (sent as ``.npy``) and files, named p0, p1, ..."""

    def __init__(self) -> None:
        self.items: List[tuple] = []  # (name, file name, ndarray | bytes)

    def array(self, arr: np.ndarray) -> str:
        name = "p%d" % len(self.items)
        self.items.append((name, name + ".npy", arr))
        return name

    def file(self, data: bytes, file_name: str) -> str:
        name = "p%d" % len(self.items)
        self.items.append((name, file_name, data))
        return name


class Media:
    """Base of every media item: what the sender needs to size, count and encode it."""

    _type = ""

    def _spec(self, parts: Parts) -> Dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _nbytes(self) -> int:
        """Bytes this item holds in memory (its share of the queue's byte budget)."""
        return 256

    def _item_count(self) -> int:
        """Items the gateway stores for this value (a table adds its media cells)."""
        return 1


# ---------------------------------------------------------------- helpers


def _is_torch(x: Any) -> bool:
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def _is_pil(x: Any) -> bool:
    return type(x).__module__.startswith("PIL.") and hasattr(x, "getbands")


def _is_path(x: Any) -> bool:
    return isinstance(x, (str, os.PathLike))


def _is_file(x: Any) -> bool:
    return hasattr(x, "read")


def snapshot(data: Any) -> np.ndarray:
    """A private copy of an array-like (numpy, list, torch tensor) in a dtype the gateway reads."""
    if _is_torch(data):
        data = data.detach().cpu().numpy()
    arr = np.array(data, copy=True)
    if arr.dtype.name in _NPY_DTYPES:
        return np.ascontiguousarray(arr)
    if arr.dtype == np.bool_:
        return arr.astype(np.uint8)
    if arr.dtype.kind == "f":
        return arr.astype(np.float32 if arr.dtype.itemsize <= 4 else np.float64)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)  # uint32/uint64: the gateway reads signed 64-bit
    raise TypeError("cannot log an array of dtype %s (use a numeric array)" % arr.dtype)


def _read_file(data_or_path: Any) -> bytes:
    if _is_path(data_or_path):
        with open(data_or_path, "rb") as f:
            return f.read()
    if hasattr(data_or_path, "seek"):
        data_or_path.seek(0)
    content = data_or_path.read()
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def _extension(path: Any) -> str:
    name = os.fspath(path).lower()
    if name.endswith(".pts.json"):
        return "pts.json"
    return os.path.splitext(name)[1].lstrip(".")


def _plain(value: Any) -> Any:
    """JSON-ready copy of plain data (numpy scalars and small arrays become Python values)."""
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if _is_torch(value):
        return _plain(value.detach().cpu().numpy().tolist())
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN; plain values are not stored by the gateway anyway
    return value


def _with_caption(spec: Dict[str, Any], caption: Optional[str]) -> Dict[str, Any]:
    if caption is not None:
        spec["caption"] = str(caption)
    return spec


# ---------------------------------------------------------------- Image

_IMAGE_FILE_TYPES = ("png", "jpg", "jpeg", "bmp", "gif")
_ARRAY_FILE_TYPES = ("png", "jpg", "jpeg", "bmp")


def _sniff_image(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data.startswith(b"BM"):
        return "bmp"
    if data.startswith(b"GIF8"):
        return "gif"
    raise ValueError("cannot tell the image file's type from its first bytes: pass file_type=")


class Image(Media):
    """``wandb.Image``: an array (HW/HWC), a torch tensor (CHW), a PIL image, a path or a file object.

    Nothing is normalised or encoded here: the array is copied and the stream applies the
    reference's squeeze, mode, normalisation and encoding rules.
    """

    _type = "image"

    def __init__(self, data_or_path: Any, mode: Optional[str] = None, caption: Optional[str] = None,
                 grouping: Optional[int] = None, classes: Any = None, boxes: Optional[Dict[str, Any]] = None,
                 masks: Optional[Dict[str, Any]] = None, file_type: Optional[str] = None,
                 normalize: bool = True) -> None:
        if file_type is not None and file_type.lower() not in _IMAGE_FILE_TYPES:
            raise ValueError("file_type must be one of %s" % list(_ARRAY_FILE_TYPES))
        self.mode, self.caption, self.grouping = mode, caption, grouping
        self.file_type = file_type.lower() if file_type else None
        self.normalize = bool(normalize)
        self._array: Optional[np.ndarray] = None
        self._tensor = False
        self._file: Optional[tuple] = None
        if _is_path(data_or_path) or _is_file(data_or_path):
            self._init_file(data_or_path)
        elif _is_pil(data_or_path):
            self._init_pil(data_or_path)
        else:
            self._init_array(data_or_path)
        self.classes = _classes(classes)
        self.boxes = _boxes(boxes)
        self.masks = _masks(masks)

    def _init_file(self, data_or_path: Any) -> None:
        content = _read_file(data_or_path)
        ext = _extension(data_or_path) if _is_path(data_or_path) else (self.file_type or _sniff_image(content))
        if ext not in _IMAGE_FILE_TYPES:
            raise ValueError("image files must be one of %s, not %r" % (list(_IMAGE_FILE_TYPES), ext))
        self._file = ("image." + ext, content)

    def _init_pil(self, img: Any) -> None:
        # the reference saves a PIL image as it is: no normalisation of its 0..255 values
        if img.mode not in ("L", "RGB", "RGBA"):
            img = img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
        self._array = np.array(img, copy=True)
        self.mode = self.mode or img.mode
        self.normalize = False

    def _init_array(self, data: Any) -> None:
        self._tensor = _is_torch(data)
        arr = snapshot(data)
        shape = arr.squeeze().shape if arr.ndim > 2 else arr.shape
        if self._tensor:
            ok = len(shape) == 2 or (len(shape) == 3 and shape[0] in (1, 3, 4))
        else:
            ok = len(shape) == 2 or (len(shape) == 3 and shape[-1] in (1, 3, 4))
        if not ok:
            raise ValueError("Un-supported shape for image conversion %s" % list(arr.shape))
        self._array = arr

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "image"}
        if self._file is not None:
            spec["file"] = parts.file(self._file[1], self._file[0])
        else:
            spec["tensor" if self._tensor else "array"] = parts.array(self._array)
        for field in ("mode", "caption", "grouping", "file_type"):
            if getattr(self, field) is not None:
                spec[field] = getattr(self, field)
        if not self.normalize:
            spec["normalize"] = False
        if self.classes:
            spec["classes"] = self.classes
        if self.boxes:
            spec["boxes"] = self.boxes
        if self.masks:
            spec["masks"] = {group: _mask_spec(m, parts) for group, m in self.masks.items()}
        return spec

    def _nbytes(self) -> int:
        size = self._array.nbytes if self._array is not None else len(self._file[1])
        return size + sum(m["_bytes"] for m in self.masks.values()) + 512


def _classes(classes: Any) -> List[Dict[str, Any]]:
    if classes is None:
        return []
    if hasattr(classes, "_class_set"):  # a wandb.Classes-like object
        classes = classes._class_set
    out = []
    for c in classes:
        if not isinstance(c, dict) or not isinstance(c.get("id"), (int, np.integer)) or "name" not in c:
            raise TypeError("classes must be a list of {'id': int, 'name': str}")
        out.append({"id": int(c["id"]), "name": str(c["name"])})
    return out


def _class_labels(labels: Any, what: str) -> Dict[str, str]:
    if labels is None:
        return {}
    if not isinstance(labels, dict):
        raise TypeError("%s class_labels must be a dict of int class id to name" % what)
    for k in labels:
        if not isinstance(k, (int, np.integer)) and not (isinstance(k, str) and k.lstrip("-").isdigit()):
            raise TypeError("%s class_labels key %r is not an integer class id" % (what, k))
    return {str(int(k)): str(v) for k, v in labels.items()}


_BOX_POSITIONS = ({"minX", "maxX", "minY", "maxY"}, {"middle", "width", "height"})


def _boxes(boxes: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if boxes is None:
        return {}
    if not isinstance(boxes, dict):
        raise ValueError("Images \"boxes\" argument must be a dictionary")
    out = {}
    for group, value in boxes.items():
        if not isinstance(value, dict) or not isinstance(value.get("box_data"), (list, tuple)):
            raise TypeError("box group %r must be a dict with a \"box_data\" list" % group)
        for box in value["box_data"]:
            position = box.get("position") if isinstance(box, dict) else None
            if not isinstance(position, dict) or not any(keys <= set(position) for keys in _BOX_POSITIONS):
                raise TypeError("Each box must contain a position with: middle, width, and height or "
                                "minX, maxX, minY, maxY.")
            if not isinstance(box.get("class_id"), (int, np.integer)):
                raise TypeError("A box's class_id must be an integer")
        out[str(group)] = {"box_data": _plain(list(value["box_data"])),
                           "class_labels": _class_labels(value.get("class_labels"), "box group %r" % group)}
    return out


def _masks(masks: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if masks is None:
        return {}
    if not isinstance(masks, dict):
        raise ValueError("Images \"masks\" argument must be a dictionary")
    out = {}
    for group, value in masks.items():
        if not isinstance(value, dict) or ("mask_data" not in value and "path" not in value):
            raise TypeError("mask %r must be a dict with \"mask_data\" or \"path\"" % group)
        mask: Dict[str, Any] = {"class_labels": _class_labels(value.get("class_labels"), "mask %r" % group)}
        if "mask_data" in value:
            data = snapshot(value["mask_data"])
            if data.ndim != 2:
                raise TypeError("mask_data must be a 2D array")
            if data.dtype.kind not in "iu":
                raise TypeError("mask_data must be an array of integer class ids")
            mask["mask_data"], mask["_bytes"] = data, data.nbytes
        else:
            content = _read_file(value["path"])
            mask["path"], mask["_bytes"] = ("mask." + _extension(value["path"]), content), len(content)
        out[str(group)] = mask
    return out


def _mask_spec(mask: Dict[str, Any], parts: Parts) -> Dict[str, Any]:
    spec: Dict[str, Any] = {"class_labels": mask["class_labels"]}
    if "mask_data" in mask:
        spec["mask_data"] = parts.array(mask["mask_data"])
    else:
        spec["path"] = parts.file(mask["path"][1], mask["path"][0])
    return spec


# ---------------------------------------------------------------- Histogram


class Histogram(Media):
    """``wandb.Histogram``: a sequence binned in the stream exactly as ``numpy.histogram``, or a precomputed pair."""

    _type = "histogram"
    MAX_LENGTH = 512

    def __init__(self, sequence: Any = None, np_histogram: Any = None, num_bins: int = 64,
                 non_finite: str = "reject") -> None:
        if np_histogram is not None:
            if len(np_histogram) != 2:
                raise ValueError("Expected np_histogram to be a tuple of (values, bin_edges) or sequence to be specified")
            self.histogram = [float(v) for v in _plain(np_histogram[0])]
            self.bins = [float(v) for v in _plain(np_histogram[1])]
            self._sequence = None
        else:
            if sequence is None:
                raise ValueError("Expected np_histogram to be a tuple of (values, bin_edges) or sequence to be specified")
            if num_bins > self.MAX_LENGTH:
                raise ValueError("The maximum length of a histogram is %i" % self.MAX_LENGTH)
            self._sequence = snapshot(sequence)
            if non_finite == "reject":
                _check_finite_range(self._sequence)
            self.histogram, self.bins = [], []
        if np_histogram is not None and len(self.histogram) > self.MAX_LENGTH:
            raise ValueError("The maximum length of a histogram is %i" % self.MAX_LENGTH)
        if np_histogram is not None and len(self.histogram) + 1 != len(self.bins):
            raise ValueError("len(bins) must be len(histogram) + 1")
        if non_finite not in ("reject", "drop"):
            raise ValueError("non_finite must be \"reject\" or \"drop\"")
        self.num_bins, self.non_finite = int(num_bins), non_finite

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        if self._sequence is None:
            return {"_type": "histogram", "np_histogram": [self.histogram, self.bins]}
        spec = {"_type": "histogram", "sequence": parts.array(self._sequence), "num_bins": self.num_bins}
        if self.non_finite != "reject":
            spec["non_finite"] = self.non_finite
        return spec

    def _nbytes(self) -> int:
        return (self._sequence.nbytes if self._sequence is not None else 16 * len(self.bins)) + 256


def _check_finite_range(values: np.ndarray) -> None:
    """numpy.histogram's own refusal, which the reference raises while constructing."""
    if values.size and values.dtype.kind == "f":
        lo, hi = values.min(), values.max()
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError("autodetected range of [%s, %s] is not finite" % (lo, hi))


# ---------------------------------------------------------------- Object3D

_OBJECT3D_FILE_TYPES = ("obj", "gltf", "glb", "babylon", "stl", "pts.json")
_POINT_CLOUD_TYPES = ("lidar/beta",)


class Object3D(Media):
    """``wandb.Object3D``: a point array (n×3, n×4, n×6), a ``lidar/beta`` scene dict, a path or a file object."""

    _type = "object3D"

    def __init__(self, data_or_path: Any, caption: Optional[str] = None, **kwargs: Any) -> None:
        self.caption = caption
        self._points: Optional[np.ndarray] = None
        self._scene: Optional[Dict[str, Any]] = None
        self._file: Optional[tuple] = None
        if isinstance(data_or_path, dict):
            self._init_scene(data_or_path)
        elif _is_path(data_or_path):
            ext = _extension(data_or_path)
            if ext not in _OBJECT3D_FILE_TYPES:
                raise ValueError("File '%s' is not compatible with Object3D: supported types are %s"
                                 % (os.fspath(data_or_path), list(_OBJECT3D_FILE_TYPES)))
            self._file = ("object." + ext, _read_file(data_or_path))
        elif _is_file(data_or_path):
            ext = kwargs.pop("file_type", None)
            if ext is None:
                raise ValueError("Must pass file type keyword argument when using io objects.")
            if ext not in _OBJECT3D_FILE_TYPES:
                raise ValueError("Unsupported file type: %s. Supported types are: %s" % (ext, list(_OBJECT3D_FILE_TYPES)))
            self._file = ("object." + ext, _read_file(data_or_path))
        else:
            self._points = _points(data_or_path)

    def _init_scene(self, scene: Dict[str, Any]) -> None:
        if scene.get("type") not in _POINT_CLOUD_TYPES:
            raise ValueError("Type not supported, only %s is supported" % list(_POINT_CLOUD_TYPES))
        self._points = _points(scene["points"])
        self._scene = {k: _plain(v) for k, v in scene.items() if k != "points"}

    @classmethod
    def from_point_cloud(cls, points: Sequence[Any], boxes: Sequence[Dict[str, Any]],
                         vectors: Optional[Sequence[Dict[str, Any]]] = None,
                         point_cloud_type: str = "lidar/beta") -> "Object3D":
        """A scene: points, boxes (8 ``corners``, ``color``, optional ``label``/``score``) and vectors."""
        if point_cloud_type not in _POINT_CLOUD_TYPES:
            raise ValueError("Point cloud type not supported")
        for box in boxes:
            if len(box.get("corners", [])) != 8:
                raise ValueError("each box needs exactly 8 corners")
        scene = {"type": point_cloud_type, "points": points, "boxes": list(boxes), "vectors": list(vectors or [])}
        return cls(scene)

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "object3D"}
        if self._file is not None:
            spec["file"] = parts.file(self._file[1], self._file[0])
        elif self._scene is not None:
            spec["scene"] = dict(self._scene, points=parts.array(self._points))
        else:
            spec["points"] = parts.array(self._points)
        return _with_caption(spec, self.caption)

    def _nbytes(self) -> int:
        return (self._points.nbytes if self._points is not None else len(self._file[1])) + 512


def _points(data: Any) -> np.ndarray:
    arr = snapshot(data)
    if arr.ndim != 2 or arr.shape[1] not in (3, 4, 6):
        raise ValueError("The shape of the numpy array must be one of either "
                         "[[x y z], ...], [[x y z c], ...] or [[x y z r g b], ...]; got %s" % list(arr.shape))
    return arr


# ---------------------------------------------------------------- Video and Audio

_VIDEO_FORMATS = ("gif", "mp4", "webm", "ogg")


class Video(Media):
    """``wandb.Video``: frames (time, channels, height, width), a path or a file object."""

    _type = "video"

    def __init__(self, data_or_path: Any, caption: Optional[str] = None, fps: Optional[int] = None,
                 format: Optional[str] = None) -> None:  # noqa: A002 - the reference's name
        self.caption, self.fps = caption, fps
        self._format = format or "gif"
        if self._format not in _VIDEO_FORMATS:
            raise ValueError("wandb.Video accepts %s formats" % ", ".join(_VIDEO_FORMATS))
        self._frames: Optional[np.ndarray] = None
        self._file: Optional[tuple] = None
        if _is_path(data_or_path):
            ext = _extension(data_or_path)
            if ext not in _VIDEO_FORMATS:
                raise ValueError("wandb.Video accepts %s formats" % ", ".join(_VIDEO_FORMATS))
            self._format = ext
            self._file = ("video." + ext, _read_file(data_or_path))
        elif _is_file(data_or_path):
            self._file = ("video." + self._format, _read_file(data_or_path))
        else:
            self._frames = snapshot(data_or_path)
            if self._frames.ndim < 4:
                raise ValueError("Video must be atleast 4 dimensions: time, channels, height, width")

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "video"}
        if self._file is not None:
            spec["file"] = parts.file(self._file[1], self._file[0])
        else:
            spec["frames"] = parts.array(self._frames)
            spec["format"] = self._format
        if self.fps is not None:
            spec["fps"] = int(self.fps)
        return _with_caption(spec, self.caption)

    def _nbytes(self) -> int:
        return (self._frames.nbytes if self._frames is not None else len(self._file[1])) + 256


class Audio(Media):
    """``wandb.Audio``: samples (1-D or samples×channels) with a required ``sample_rate``, or a file."""

    _type = "audio"

    def __init__(self, data_or_path: Any, sample_rate: Optional[int] = None, caption: Optional[str] = None) -> None:
        self.sample_rate, self.caption = sample_rate, caption
        self._samples: Optional[np.ndarray] = None
        self._file: Optional[tuple] = None
        if _is_path(data_or_path):
            self._file = ("audio." + (_extension(data_or_path) or "wav"), _read_file(data_or_path))
        elif _is_file(data_or_path):
            self._file = ("audio.wav", _read_file(data_or_path))
        else:
            if sample_rate is None:
                raise ValueError('Argument "sample_rate" is required when instantiating wandb.Audio with raw data.')
            self._samples = snapshot(data_or_path)

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "audio"}
        if self._file is not None:
            spec["file"] = parts.file(self._file[1], self._file[0])
        else:
            spec["samples"] = parts.array(self._samples)
        if self.sample_rate is not None:
            spec["sample_rate"] = int(self.sample_rate)
        return _with_caption(spec, self.caption)

    def _nbytes(self) -> int:
        return (self._samples.nbytes if self._samples is not None else len(self._file[1])) + 256


# ---------------------------------------------------------------- Table, Html, Molecule


class Table(Media):
    """``wandb.Table``: columns (default Input/Output/Expected) and rows whose cells may be media items."""

    _type = "table"

    def __init__(self, columns: Optional[List[Any]] = None, data: Any = None, rows: Any = None,
                 dataframe: Any = None) -> None:
        if dataframe is not None:
            columns = list(dataframe.columns)
            data = dataframe.values.tolist()
        self.columns = [str(c) for c in (columns or ["Input", "Output", "Expected"])]
        self.data: List[List[Any]] = []
        for row in (data if data is not None else rows) or []:
            self.add_data(*(row.tolist() if isinstance(row, np.ndarray) else row))

    def add_data(self, *data: Any) -> None:
        """Adds one row; it must have one value per column, as the reference requires."""
        if len(data) != len(self.columns):
            raise ValueError("This table expects {} columns: {}, found {}".format(
                len(self.columns), self.columns, len(data)))
        self.data.append([cell if isinstance(cell, Media) else _plain(cell) for cell in data])

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        rows = [[cell._spec(parts) if isinstance(cell, Media) else cell for cell in row] for row in self.data]
        return {"_type": "table", "columns": list(self.columns), "data": rows}

    def _nbytes(self) -> int:
        return 64 * sum(len(r) for r in self.data) + sum(
            c._nbytes() for r in self.data for c in r if isinstance(c, Media)) + 256

    def _item_count(self) -> int:
        return 1 + sum(c._item_count() for r in self.data for c in r if isinstance(c, Media))


class Html(Media):
    """``wandb.Html``: a string, a path to an HTML file or a file object; ``inject`` adds the default styles."""

    _type = "html"

    def __init__(self, data: Any, inject: bool = True) -> None:
        if isinstance(data, str) and data.lower().endswith(".html") and os.path.exists(data):
            with open(data, encoding="utf-8") as f:
                self.html = f.read()
        elif isinstance(data, str):
            self.html = data
        elif isinstance(data, os.PathLike) or _is_file(data):
            self.html = _read_file(data).decode("utf-8")
        else:
            raise ValueError("data must be a string or an io object")
        self.inject = bool(inject)

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "html", "html": self.html}
        if not self.inject:
            spec["inject"] = False
        return spec

    def _nbytes(self) -> int:
        return len(self.html) * 4 + 256


_MOLECULE_FILE_TYPES = ("pdb", "pqr", "mmcif", "mcif", "cif", "sdf", "sd", "gro", "mol2", "mmtf")


class Molecule(Media):
    """``wandb.Molecule``: a structure file (path or file object with ``file_type``), SMILES or an RDKit molecule."""

    _type = "molecule"

    def __init__(self, data_or_path: Any, caption: Optional[str] = None, **kwargs: Any) -> None:
        self.caption = caption
        self._smiles: Optional[str] = kwargs.pop("_smiles", None)
        self._file: Optional[tuple] = None
        if self._smiles is not None:
            return
        if _is_path(data_or_path):
            ext = _extension(data_or_path)
            content = _read_file(data_or_path)
        elif _is_file(data_or_path):
            ext = kwargs.pop("file_type", None)
            if ext is None:
                raise ValueError("Must pass file_type keyword argument when using io objects.")
            content = _read_file(data_or_path)
        else:
            raise ValueError("Molecule takes a path or an io object, or use Molecule.from_smiles / from_rdkit")
        if ext not in _MOLECULE_FILE_TYPES:
            raise ValueError("Molecule format {} is not supported: supported formats are {}".format(
                ext, list(_MOLECULE_FILE_TYPES)))
        self._file = ("molecule." + ext, content)

    @classmethod
    def from_smiles(cls, data: str, caption: Optional[str] = None, sanitize: bool = True,
                    convert_to_3d_and_optimize: bool = True,
                    mmff_optimize_molecule_max_iterations: int = 200) -> "Molecule":
        """A molecule from SMILES; the stream builds its SDF (2D coordinates, the CDK), no RDKit needed."""
        if not isinstance(data, str) or not data.strip():
            raise ValueError("Unable to parse the SMILES string.")
        return cls(None, caption=caption, _smiles=data)

    @classmethod
    def from_rdkit(cls, data_or_path: Any, caption: Optional[str] = None,
                   convert_to_3d_and_optimize: bool = True,
                   mmff_optimize_molecule_max_iterations: int = 200) -> "Molecule":
        """A molecule from an RDKit ``Mol`` (or a file RDKit reads), sent as SDF; needs RDKit (python3-rdkit)."""
        try:
            from rdkit import Chem
            from rdkit.Chem import AllChem
        except ImportError as e:  # the reference raises too when rdkit is missing
            raise ImportError("Molecule.from_rdkit needs RDKit: apt-get install python3-rdkit (or pip install rdkit)") from e
        mol = data_or_path
        if _is_path(data_or_path):
            mol = Chem.MolFromMolFile(os.fspath(data_or_path)) if _extension(data_or_path) in ("mol", "sdf") \
                else Chem.MolFromPDBFile(os.fspath(data_or_path))
        if mol is None or not isinstance(mol, Chem.rdchem.Mol):
            raise ValueError("Data must be an RDKit Mol or a file RDKit can read")
        if convert_to_3d_and_optimize:
            mol = Chem.AddHs(mol)
            AllChem.EmbedMolecule(mol)
            AllChem.MMFFOptimizeMolecule(mol, maxIters=mmff_optimize_molecule_max_iterations)
        return cls(io.StringIO(Chem.MolToMolBlock(mol) + "$$$$\n"), caption=caption, file_type="sdf")

    def _spec(self, parts: Parts) -> Dict[str, Any]:
        spec: Dict[str, Any] = {"_type": "molecule"}
        if self._smiles is not None:
            spec["smiles"] = self._smiles
        else:
            spec["file"] = parts.file(self._file[1], self._file[0])
        return _with_caption(spec, self.caption)

    def _nbytes(self) -> int:
        return (len(self._file[1]) if self._file else len(self._smiles)) + 256
