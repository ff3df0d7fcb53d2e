"""Crafted model files, and loading them in a separate process.

A damaged model file must end in a prediction or a ``ModelFileError``; a crash or a
hang of compiled code must fail a test, not kill or stall pytest, so the files are
loaded by a worker process (this module run as a script) watched with a time limit.
"""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

PLUGINS = Path(__file__).resolve().parents[2] / "build" / "test-plugins"
# Per case, including the worker's start (imports) for its first case.
CASE_SECONDS = 60
ROWS = 256


def read_model(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """model.json and the arrays of a model file written by the plugin (trusted here)."""
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("model.json"))
        with np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    return meta, arrays


def write_model(
    path: Path, meta: dict, arrays: dict[str, np.ndarray], declare: bool = True
) -> Path:
    """A model file of ``meta`` and ``arrays``; ``declare`` makes model.json list the
    arrays as they are (so that a change reaches the checks of the arrays' contents)."""
    if declare:
        meta = {
            **meta,
            "arrays": {
                name: {"dtype": value.dtype.str, "shape": list(value.shape)}
                for name, value in arrays.items()
            },
        }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(meta))
        archive.writestr("arrays.npz", buffer.getvalue())
    return path


def edited(
    source: Path,
    target: Path,
    arrays: Callable[[dict[str, np.ndarray]], None] | None = None,
    meta: Callable[[dict], None] | None = None,
    declare: bool = True,
) -> Path:
    """A copy of the model file ``source`` with its arrays and metadata edited in place."""
    content, values = read_model(source)
    values = {name: value.copy() for name, value in values.items()}
    if arrays is not None:
        arrays(values)
    if meta is not None:
        meta(content)
    return write_model(target, content, values, declare)


def split_nodes(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """Indices of the nodes of a forest's first tree that split."""
    end = int(arrays["tree_offsets"][1])
    return np.flatnonzero(arrays["children_left"][:end] != -1)


def run_cases(paths: list[Path]) -> list[dict]:
    """Load each model file and predict with it, in worker processes; one outcome per
    path: ``ok`` (a valid prediction), ``clear`` (ModelFileError), ``other`` (another
    exception), ``invalid`` (codes outside the classes or probabilities outside 0 to 1,
    NaN included), ``crash`` or ``hang``.
    """
    results: list[dict] = []
    pending = [str(p) for p in paths]
    env = {**os.environ, "PYTHONPATH": str(PLUGINS), "OMP_NUM_THREADS": "1"}
    while pending:
        with tempfile.TemporaryFile() as errors:
            worker = subprocess.Popen(
                [sys.executable, __file__, *pending],
                stdout=subprocess.PIPE,
                stderr=errors,
                env=env,
            )
            done = _collect(worker, len(pending), results)
            if worker.poll() is None:
                worker.kill()
            worker.communicate()
            if results[-1]["outcome"] in ("crash", "hang"):
                errors.seek(0)
                results[-1]["stderr"] = errors.read()[-2000:].decode(errors="replace")
        pending = pending[done:]
    return results


def _collect(worker: subprocess.Popen, count: int, results: list[dict]) -> int:
    """Read up to ``count`` outcome lines; a silent or dead worker ends the case it was on."""
    fd = worker.stdout.fileno()
    buffer = b""
    for done in range(count):
        while b"\n" not in buffer:
            if not select.select([fd], [], [], CASE_SECONDS)[0]:
                results.append({"outcome": "hang"})
                return done + 1
            chunk = os.read(fd, 65536)
            if not chunk:
                worker.wait()
                results.append({"outcome": "crash", "returncode": worker.returncode})
                return done + 1
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        results.append(json.loads(line))
    return count


def _outcome(path: str) -> dict:
    from landcover.core.io.errors import ModelFileError
    from landcover.core.learn.model import LandcoverModel

    try:
        model = LandcoverModel.load(path)
        rng = np.random.default_rng(0)
        x = (rng.normal(scale=3.0, size=(ROWS, model.n_bands))).astype(np.float32)
        proba = model.predict_proba(x)
        codes = model.predict(x)
    except ModelFileError as exc:
        return {"outcome": "clear", "message": str(exc)}
    except Exception as exc:
        return {"outcome": "other", "type": type(exc).__name__, "message": str(exc)[:500]}
    valid = (
        proba.shape == (ROWS, len(model.classes))
        and bool(np.all((proba >= 0) & (proba <= 1 + 1e-6)))  # False for NaN
        and set(codes.tolist()) <= set(model.codes)
    )
    return {"outcome": "ok" if valid else "invalid"}


def _work(paths: list[str]) -> None:
    import resource
    import warnings

    # A file that makes the old code allocate without bound fails its case with a
    # MemoryError here instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    warnings.simplefilter("ignore")
    for path in paths:
        sys.stdout.write(json.dumps(_outcome(path)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _work(sys.argv[1:])
