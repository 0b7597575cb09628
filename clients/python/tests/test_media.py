"""Construction-time checks with the reference's meaning, snapshots, and the JSON each class sends."""

import io

import numpy as np
import pytest

import mediaflow
from mediaflow.media import Parts


def spec_of(item):
    parts = Parts()
    return item._spec(parts), parts


def test_should_require_a_sample_rate_for_raw_audio_as_the_reference_does():
    with pytest.raises(ValueError, match='"sample_rate" is required'):
        mediaflow.Audio(np.zeros(100))


def test_should_refuse_an_image_shape_with_five_channels_at_construction():
    with pytest.raises(ValueError, match="Un-supported shape"):
        mediaflow.Image(np.zeros((4, 4, 5)))


def test_should_refuse_an_unknown_image_file_type():
    with pytest.raises(ValueError, match="file_type must be one of"):
        mediaflow.Image(np.zeros((4, 4)), file_type="tiff")


def test_should_refuse_a_histogram_of_more_than_512_bins_and_a_bad_pair():
    with pytest.raises(ValueError, match="maximum length of a histogram is 512"):
        mediaflow.Histogram(np.arange(10), num_bins=513)
    with pytest.raises(ValueError, match=r"len\(bins\) must be len\(histogram\) \+ 1"):
        mediaflow.Histogram(np_histogram=([1, 2], [0, 1]))
    with pytest.raises(ValueError, match="Expected np_histogram"):
        mediaflow.Histogram()


def test_should_refuse_a_histogram_whose_range_is_not_finite_as_numpy_does():
    with pytest.raises(ValueError, match="not finite"):
        mediaflow.Histogram([1.0, float("nan")])
    assert mediaflow.Histogram([1.0, float("nan")], non_finite="drop")._spec(Parts())["non_finite"] == "drop"


def test_should_refuse_point_clouds_of_a_wrong_shape_and_scenes_of_an_unknown_type():
    with pytest.raises(ValueError, match="shape of the numpy array"):
        mediaflow.Object3D(np.zeros((10, 5)))
    with pytest.raises(ValueError, match="Point cloud type not supported"):
        mediaflow.Object3D.from_point_cloud(np.zeros((3, 3)), [], point_cloud_type="radar")
    with pytest.raises(ValueError, match="Must pass file type"):
        mediaflow.Object3D(io.StringIO("[]"))


def test_should_refuse_videos_of_fewer_than_four_dimensions_and_unknown_formats():
    with pytest.raises(ValueError, match="atleast 4 dimensions"):
        mediaflow.Video(np.zeros((3, 8, 8)))
    with pytest.raises(ValueError, match="accepts gif, mp4, webm, ogg"):
        mediaflow.Video(np.zeros((2, 3, 8, 8)), format="avi")


def test_should_refuse_a_table_row_of_the_wrong_width():
    table = mediaflow.Table(columns=["a", "b"])
    with pytest.raises(ValueError, match="This table expects 2 columns"):
        table.add_data(1, 2, 3)


def test_should_refuse_an_unsupported_molecule_format(tmp_path):
    path = tmp_path / "m.xyz"
    path.write_text("1\n\nC 0 0 0\n")
    with pytest.raises(ValueError, match="Molecule format xyz is not supported"):
        mediaflow.Molecule(str(path))


def test_should_refuse_boxes_without_a_position():
    with pytest.raises(TypeError, match="Each box must contain a position"):
        mediaflow.Image(np.zeros((4, 4)), boxes={"p": {"box_data": [{"class_id": 1}]}})


def test_should_snapshot_the_array_so_later_writes_do_not_change_what_is_logged():
    # Given an image of a buffer the training loop reuses
    buffer = np.zeros((4, 4, 3), dtype=np.float32)
    image = mediaflow.Image(buffer)

    # When the loop overwrites the buffer
    buffer[:] = 1.0

    # Then the image still holds the values it was made with
    assert image._array.max() == 0.0


def test_should_send_a_pil_image_as_its_pixels_without_normalisation():
    pil = pytest.importorskip("PIL.Image", reason="python3-pil is not installed")
    spec, parts = spec_of(mediaflow.Image(pil.new("RGB", (5, 4), (1, 0, 1))))
    assert spec["mode"] == "RGB" and spec["normalize"] is False
    assert parts.items[0][2].shape == (4, 5, 3)


def test_should_describe_every_type_with_the_gateway_fields():
    image, _ = spec_of(mediaflow.Image(np.zeros((4, 4)), caption="c", grouping=2, classes=[{"id": 1, "name": "x"}]))
    assert image == {"_type": "image", "array": "p0", "caption": "c", "grouping": 2,
                     "classes": [{"id": 1, "name": "x"}]}
    assert spec_of(mediaflow.Molecule.from_smiles("CCO"))[0] == {"_type": "molecule", "smiles": "CCO"}
    assert spec_of(mediaflow.Html("<p>x</p>", inject=False))[0] == {"_type": "html", "html": "<p>x</p>", "inject": False}
    video, _ = spec_of(mediaflow.Video(np.zeros((2, 3, 8, 8), np.uint8), fps=8))
    assert video == {"_type": "video", "frames": "p0", "format": "gif", "fps": 8}
