#!/usr/bin/env python3
"""A training loop in the shape of a PyTorch one, logging every media type to mediaflow.

    bin/mediaflow up                        # prints READY http://127.0.0.1:8080 and a write key
    export MEDIAFLOW_URL=http://127.0.0.1:8080 MEDIAFLOW_API_KEY=mf_...
    PYTHONPATH=clients/python/src /usr/bin/python3 examples/train_loop.py [--epochs 3]

Uses torch (python3-torch) when it is installed, numpy otherwise. Porting from the reference is a
rename: ``wandb`` -> ``mediaflow``.
"""

import argparse
import time

import numpy as np

import mediaflow

try:
    import torch
    from torch import nn
except ImportError:  # the same loop on numpy
    torch = None


def make_model():
    if torch is None:
        return {"w": np.random.default_rng(0).standard_normal((3 * 32 * 32, 10)) * 0.01}
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))


def train_step(model, images, labels, optimizer):
    """One step: returns the loss and the weights to histogram."""
    if torch is None:
        logits = images.reshape(len(images), -1) @ model["w"]
        loss = float(np.mean((logits - np.eye(10)[labels]) ** 2))
        model["w"] -= 0.01 * images.reshape(len(images), -1).T @ (logits - np.eye(10)[labels]) / len(images)
        return loss, model["w"]
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item(), model[1].weight


def batch(rng, size=16):
    images = rng.random((size, 3, 32, 32), dtype=np.float32)  # CHW, as a DataLoader yields them
    labels = rng.integers(0, 10, size)
    if torch is None:
        return images, labels
    return torch.from_numpy(images), torch.from_numpy(labels)


def as_image(x):
    """A torch tensor is CHW (as the reference reads it); a numpy array is HW or HWC."""
    return x if torch is not None else x.transpose(1, 2, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20, help="steps per epoch")
    parser.add_argument("--project", default="examples")
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1) if torch is not None else None
    with mediaflow.init(project=args.project, name=time.strftime("train-%Y%m%d-%H%M%S")) as run:
        for epoch in range(args.epochs):
            for _ in range(args.steps):
                images, labels = batch(rng)
                loss, weights = train_step(model, images, labels, optimizer)
                # every step: a few inputs (torch CHW tensors or numpy arrays) and the weights
                run.log({"loss": loss,
                         "inputs": [mediaflow.Image(as_image(images[i]), caption="label %d" % int(labels[i]))
                                    for i in range(4)],
                         "weights": mediaflow.Histogram(weights.detach() if torch is not None else weights)})
            log_epoch_media(run, epoch, rng)
    print("logged to %s, project %s, run %s" % (run.url, run.project, run.name))


def log_epoch_media(run, epoch, rng):
    """Once per epoch: the other media types, with commit=False: they join the row of the next step's log."""
    seg = (rng.random((32, 32)) * 3).astype(np.uint8)
    table = mediaflow.Table(columns=["epoch", "sample", "score"])
    table.add_data(epoch, mediaflow.Image(rng.random((32, 32, 3), dtype=np.float32)), float(rng.random()))
    run.log({
        "predictions": mediaflow.Image(
            rng.random((32, 32, 3), dtype=np.float32), caption="epoch %d" % epoch,
            boxes={"predictions": {"box_data": [{"position": {"minX": 0.1, "maxX": 0.5, "minY": 0.2, "maxY": 0.7},
                                                 "class_id": 1, "scores": {"conf": 0.8}}],
                                   "class_labels": {1: "cat", 2: "dog"}}},
            masks={"segmentation": {"mask_data": seg, "class_labels": {0: "bg", 1: "cat", 2: "dog"}}}),
        "lidar": mediaflow.Object3D(rng.random((2000, 6)) * [10, 10, 10, 255, 255, 255]),
        "scene": mediaflow.Object3D.from_point_cloud(
            rng.random((500, 3)) * 10,
            [{"corners": [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]],
              "color": [255, 0, 0], "label": "car"}]),
        "rollout": mediaflow.Video((rng.random((8, 3, 32, 32)) * 255).astype(np.uint8), fps=4),
        "speech": mediaflow.Audio(np.sin(np.arange(16000) * 440 * 2 * np.pi / 16000).astype(np.float32),
                                  sample_rate=16000, caption="440 Hz"),
        "samples": table,
        "report": mediaflow.Html("<h1>epoch %d</h1><p>done</p>" % epoch),
        "molecule": mediaflow.Molecule.from_smiles("CC(=O)OC1=CC=CC=C1C(=O)O", caption="aspirin"),
    }, commit=False)


if __name__ == "__main__":
    main()
