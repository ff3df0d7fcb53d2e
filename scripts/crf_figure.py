"""The before/after picture of the user guide: ``docs/images/crf_before_after.png``.

A crop of the synthetic thin-feature scene (``make_thin_feature_scene``, seed 0): the
truth, the raw map of a classifier that knows the class means, a 5x5 majority filter
of it and the CRF with the image as guide (default weights), side by side in the
class colours. Agreement with the truth and the recall of the thin water are printed.

Usage: ``/usr/bin/python3 scripts/crf_figure.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from benchlib import link_plugin  # noqa: E402

SIZE = 256
CROP = (slice(40, 200), slice(0, 160))


def main() -> int:
    link_plugin()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from landcover.core.postprocess.crf import crf_array
    from landcover.core.postprocess.majority import majority_filter
    from landcover.core.synthetic import make_thin_feature_scene

    scene = make_thin_feature_scene(SIZE, seed=0)
    raw = (np.argmax(scene.probabilities, axis=0) + 1).astype(np.uint8)
    panels = {
        "truth": scene.truth,
        "raw classification": raw,
        "majority filter 5x5": majority_filter(raw, 5),
        "CRF (image guide)": (crf_array(scene.probabilities, scene.image) + 1).astype(np.uint8),
    }
    colours = np.zeros((256, 3), dtype=np.uint8)
    for info in scene.classes:
        colours[info.code] = info.color
    figure, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 4.7), dpi=100)
    for axis, (title, labels) in zip(axes, panels.items()):
        oa = np.mean(labels == scene.truth) * 100
        thin = np.mean(labels[scene.thin] == 1) * 100
        axis.imshow(colours[labels[CROP]], interpolation="nearest")
        subtitle = "" if title == "truth" else f"\nagreement {oa:.1f} %, thin water {thin:.0f} %"
        axis.set_title(title + subtitle, fontsize=11)
        axis.set_axis_off()
        print(f"{title}: agreement {oa:.2f} %, thin water recall {thin:.1f} %")
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    out = REPO / "docs" / "images" / "crf_before_after.png"
    figure.savefig(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
