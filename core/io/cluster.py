"""Windows of the block engine computed on a Dask cluster.

The client (this process) plans the windows, hands each one to the Dask scheduler
as a plain function with plain arguments, and writes the result blocks as they come
back through the same writer as a local run: the outputs are the same pixels.

What travels where:

* the core package, once per worker: a zip of this package's source under a name
  that carries the hash of that source (``landcover_core_<hash>``), installed by
  Dask's upload plugin (also on workers that join later). A plain ``dask worker``
  with numpy, scipy, scikit-learn, rasterio and distributed installed needs nothing
  else, and workers never mix two versions of the plugin;
* per window: references to the step's read and compute functions, their plain
  arguments, the input path and the window (a few hundred bytes). Workers read the
  pixels themselves, so the input must be where every worker opens it under the
  same name (shared file system, ``/vsicurl/``, ``/vsis3/``...);
* objects with a file form (a model) travel once per run as their file bytes and
  are rebuilt on each worker once, never as a pickle of the object;
* back to the client: each window's result blocks.

Only :func:`run_on_cluster` needs ``distributed``; the rest of the plugin loads and
runs without it.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import importlib
import importlib.util
import io
import itertools
import os
import queue
import sys
import tempfile
import threading
import types
import uuid
import zipfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .deps import library_versions
from .errors import InputError
from .progress import Cancelled, Progress, as_progress

# A wrong address should fail in seconds, not after Dask's 30 s default.
CONNECT_SECONDS = 5.0
# How long the client waits for a result before checking for cancel and for a lost
# scheduler; also how long a lost scheduler may take to come back.
POLL_SECONDS = 0.25
# Windows in flight per worker thread: enough to keep every worker busy while its
# results travel, few enough that the client holds only a few windows at a time.
IN_FLIGHT_PER_THREAD = 2
# Results fetched at once: the client holds at most this many windows' results.
GATHER_AT_ONCE = 4
TASK_PREFIX = "landcover-window"
# Dask sends the source of the code that submits tasks to the scheduler, found by
# reading the caller's file on every submission; a pattern matching every module
# turns that off.
_CODE_MODULES = "distributed.diagnostics.computations.ignore-modules"
# The whole core package travels (this module lives in its learn/ subpackage).
PACKAGE = __name__.rsplit(".", 2)[0]
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


class ClusterError(InputError):
    """The cluster cannot be used or failed; the message names the address."""


def install_advice() -> str:
    """What to install to run on a cluster, for a Python without ``distributed``."""
    return (
        "running on a Dask cluster needs the Python package 'distributed' (Dask's "
        "scheduler client) in the Python that QGIS uses, in the same version as the "
        "cluster. Debian and Ubuntu: sudo apt install python3-distributed. Windows: in "
        "the OSGeo4W Shell run 'python -m pip install distributed'. Elsewhere: "
        "'python3 -m pip install distributed'. Or leave the Dask scheduler empty to run "
        "on this computer"
    )


def _distributed() -> types.ModuleType:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(install_advice()) from exc
    return distributed


@functools.lru_cache(maxsize=1)
def core_package() -> tuple[str, bytes]:
    """``(name, zip bytes)``: this package's source under a name carrying its hash.

    The zip is reproducible (sorted entries, fixed dates), so the same source always
    gives the same name and bytes.
    """
    files = sorted(path for path in _PACKAGE_ROOT.rglob("*.py") if "__pycache__" not in path.parts)
    sources = [(path.relative_to(_PACKAGE_ROOT).as_posix(), path.read_bytes()) for path in files]
    digest = hashlib.sha256()
    for relative, data in sources:
        digest.update(relative.encode() + b"\0" + data + b"\0")
    name = f"landcover_core_{digest.hexdigest()[:16]}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, data in sources:
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return name, buffer.getvalue()


def _twin_package(name: str) -> types.ModuleType:
    """This package imported a second time under ``name``, the name workers know it by.

    Functions and classes then pickle as references into ``name``, which resolve on
    the workers (and results coming back resolve here).
    """
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.spec_from_file_location(
        name, _PACKAGE_ROOT / "__init__.py", submodule_search_locations=[str(_PACKAGE_ROOT)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Shipped:
    """An argument that travels as bytes and is rebuilt on the worker by ``load``."""

    key: str
    load: Callable[[bytes], Any]


_PLAIN = (type(None), bool, int, float, complex, str, bytes, np.ndarray, np.generic, np.dtype)


class _Translator:
    """Turns a step's read and compute callables into what travels to workers."""

    def __init__(self, twin: str) -> None:
        self.twin = twin
        self.shipped: dict[str, bytes] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, _PLAIN):
            return value
        if isinstance(value, (list, tuple)):
            return type(value)(self(item) for item in value)
        if isinstance(value, dict):
            return {self(key): self(item) for key, item in value.items()}
        if isinstance(value, functools.partial):
            return functools.partial(
                self(value.func),
                *(self(arg) for arg in value.args),
                **{key: self(arg) for key, arg in value.keywords.items()},
            )
        module = getattr(value, "__module__", None) or type(value).__module__
        ours = module == PACKAGE or module.startswith(PACKAGE + ".")
        if isinstance(value, (types.FunctionType, type)):
            return self._twin_of(value) if ours else value
        to_bytes = getattr(value, "to_bytes", None)
        from_bytes = getattr(type(value), "from_bytes", None)
        if ours and to_bytes is not None and from_bytes is not None:
            data = to_bytes()
            key = f"landcover-bytes-{hashlib.sha256(data).hexdigest()[:24]}"
            self.shipped[key] = data
            shipped = importlib.import_module(f"{self.twin}.io.cluster").Shipped
            return shipped(key, self._twin_of(type(value)).from_bytes)
        if ours and hasattr(value, "__dataclass_fields__"):
            fields = {name: self(getattr(value, name)) for name in value.__dataclass_fields__}
            return self._twin_of(type(value))(**fields)
        if module.split(".")[0] in ("rasterio", "affine", "numpy"):
            return value  # importable on every worker
        raise TypeError(
            f"{type(value).__name__} cannot be sent to a cluster worker: window functions "
            "take plain arguments (numbers, strings, arrays, or objects with to_bytes)"
        )

    def _twin_of(self, value: Any) -> Any:
        module = importlib.import_module(self.twin + value.__module__[len(PACKAGE) :])
        for part in value.__qualname__.split("."):
            module = getattr(module, part)
        return module


def _reader_parts(read: Any) -> tuple[str, functools.partial]:
    """The input path of ``read`` (``functools.partial(function, dataset, ...)``) and
    ``read`` without the dataset, for a worker to call as ``function(its own
    dataset, ..., block)``."""
    dataset = read.args[0] if isinstance(read, functools.partial) and read.args else None
    name = getattr(dataset, "name", None)
    if not isinstance(name, str) or not hasattr(dataset, "read"):
        raise TypeError(
            "on a cluster the read function must be functools.partial(function, dataset, ...)"
        )
    path = os.path.abspath(name) if os.path.exists(name) else name
    return path, functools.partial(read.func, *read.args[1:], **read.keywords)


_local = threading.local()
_loaded: dict[str, Any] = {}
_loaded_lock = threading.Lock()


def _single_threaded_libraries() -> None:
    """Worker threads are the parallelism: BLAS and OpenMP get one thread each."""
    if getattr(_local, "limited", False):
        return
    try:
        import threadpoolctl
    except ImportError:
        pass
    else:
        threadpoolctl.threadpool_limits(limits=1)
    _local.limited = True


def _resolve(value: Any, shipped: dict[str, bytes]) -> Any:
    if isinstance(value, Shipped):
        with _loaded_lock:
            if value.key not in _loaded:
                if len(_loaded) >= 4:  # a worker serves runs one after another
                    _loaded.pop(next(iter(_loaded)))
                _loaded[value.key] = value.load(shipped[value.key])
            return _loaded[value.key]
    if isinstance(value, functools.partial):
        return functools.partial(
            value.func,
            *(_resolve(arg, shipped) for arg in value.args),
            **{key: _resolve(arg, shipped) for key, arg in value.keywords.items()},
        )
    return value


def keep(data: bytes) -> bytes:
    """A task holding shipped bytes: the scheduler keeps them in the task, so a worker
    that dies with them costs a recomputation, not the run."""
    return data


def run_window(
    open_dataset: Callable[[str], Any],
    path: str,
    read: functools.partial,
    compute: Callable[[Any], Any],
    block: Any,
    shipped: dict[str, bytes],
) -> Any:
    """On a worker: open ``path`` with ``open_dataset``, read ``block`` and compute it."""
    _single_threaded_libraries()
    compute = _resolve(compute, shipped)
    with open_dataset(path) as src:
        item = functools.partial(read.func, src, *read.args, **read.keywords)(block)
    return compute(item)


def worker_report() -> dict[str, str]:
    """On a worker: the versions it computes with (checks that the core imports)."""
    return {"package": PACKAGE, **library_versions()}


def _connect(distributed: types.ModuleType, address: str) -> Any:
    try:
        client = distributed.Client(
            address, timeout=CONNECT_SECONDS, set_as_default=False, direct_to_workers=True
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({exc}); check the address "
            "(for example tcp://10.0.0.5:8786), that the scheduler runs, and that this "
            "computer can reach its port"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers; start some with "
            f"'dask worker {address}' on the computers of the cluster"
        ) from exc
    return client


def _install(client: Any, address: str, name: str, package: bytes) -> None:
    """Send the core package to every worker (and to those joining later), and check
    that every worker imports it."""
    from distributed.diagnostics import plugin as dask_plugins

    with tempfile.TemporaryDirectory(prefix="landcover-") as folder:
        archive = Path(folder) / f"{name}.zip"
        archive.write_bytes(package)
        plugins = [dask_plugins.UploadFile(str(archive))]  # each reads the bytes now
        # Newer schedulers unpickle the tasks themselves, so they need the package too.
        if hasattr(dask_plugins, "SchedulerUploadFile"):
            plugins.append(dask_plugins.SchedulerUploadFile(str(archive)))
    try:
        # register_plugin replaces register_worker_plugin in distributed 2023.9 and later
        register = getattr(client, "register_plugin", None) or client.register_worker_plugin
        for plugin in plugins:
            register(plugin, name=f"landcover-core-{name}-{type(plugin).__name__}")
        twin = _twin_package(name)
        client.run(importlib.import_module(f"{twin.__name__}.io.cluster").worker_report)
    except (ImportError, AttributeError) as exc:
        raise ClusterError(
            f"a worker of the Dask cluster at {address} cannot load the land-cover core "
            f"({exc}); install numpy, scipy, scikit-learn, rasterio and distributed on "
            "every worker"
        ) from exc


def _lost(client: Any, address: str) -> ClusterError:
    return ClusterError(
        f"the connection to the Dask scheduler at {address} was lost; nothing was "
        "written. Check that the scheduler is still running, then run the tool again"
    )


def run_on_cluster(
    address: str,
    blocks: Sequence[Any],
    read: functools.partial,
    compute: Callable[[Any], Any],
    write: Callable[[Any, Any], None],
    progress: Progress | None,
    open_dataset: Callable[[str], Any],
) -> None:
    """Compute every block on the Dask cluster at ``address``; write in this process.

    ``read`` is ``functools.partial(function, dataset, ...)`` with an open dataset of
    the input: workers call ``function`` on their own dataset opened from the same
    path with ``open_dataset`` (the block engine's, passed in so that this module
    does not import the engine that calls it). ``read`` and ``compute`` must be plain
    functions (or partials of them) of this package with plain arguments; objects
    with ``to_bytes``/``from_bytes`` travel as bytes. ``write(block, result)`` runs
    here as results arrive (in any order); at most :data:`IN_FLIGHT_PER_THREAD`
    windows per worker thread are in flight and :data:`GATHER_AT_ONCE` results held
    here. Progress counts written windows; cancel cancels the cluster's futures.
    """
    distributed = _distributed()
    import dask

    progress = as_progress(progress)
    progress.check()
    name, package = core_package()
    client = _connect(distributed, address)
    pending: dict[Any, Any] = {}
    try:
        _install(client, address, name, package)
        twin = _twin_package(name)
        runner = importlib.import_module(f"{twin.__name__}.io.cluster")
        translate = _Translator(twin.__name__)
        user_error = importlib.import_module(f"{twin.__name__}.io.errors").InputError
        path, reader = _reader_parts(read)
        opener = translate(open_dataset)
        reader = translate(reader)
        compute = translate(compute)
        shipped = {
            key: client.submit(runner.keep, data, key=key, pure=False)
            for key, data in translate.shipped.items()
        }
        threads = sum(
            info.get("nthreads", 1) for info in client.scheduler_info()["workers"].values()
        )
        limit = max(2, IN_FLIGHT_PER_THREAD * threads)
        run = uuid.uuid4().hex[:12]
        todo = iter(blocks)
        done = 0
        arrived: queue.Queue = queue.Queue()  # futures as they finish
        ready: collections.deque = collections.deque()  # finished, not yet fetched
        while done < len(blocks):
            progress.check()
            batch = list(itertools.islice(todo, limit - len(pending)))
            if batch:
                # One submission per batch: Dask's per-call cost is milliseconds.
                with dask.config.set({_CODE_MODULES: [""]}):
                    futures = client.map(
                        runner.run_window,
                        [opener] * len(batch),
                        [path] * len(batch),
                        [reader] * len(batch),
                        [compute] * len(batch),
                        [translate(block) for block in batch],
                        [shipped] * len(batch),
                        key=[f"{TASK_PREFIX}-{run}-{block.index}" for block in batch],
                        pure=False,
                    )
                for future, block in zip(futures, batch):
                    pending[future] = block
                    future.add_done_callback(arrived.put)
            ready.extend(_arrivals(client, address, arrived, wait=not ready))
            finished = [ready.popleft() for _ in range(min(GATHER_AT_ONCE, len(ready)))]
            results = _gather(client, address, finished, user_error)
            for future, result in zip(finished, results):
                write(pending.pop(future), result)
                done += 1
                progress(done / len(blocks))
    except (InputError, Cancelled):
        raise
    except Exception as exc:
        # Dask reports a lost scheduler in many ways (cancelled futures, closed
        # connections, time-outs), wherever the client happens to be.
        if client.status != "running":
            raise _lost(client, address) from exc
        raise
    finally:
        if pending and client.status == "running":
            with suppress(OSError, TimeoutError):
                client.cancel(list(pending))
        with suppress(OSError, TimeoutError):
            client.close(timeout=CONNECT_SECONDS)


def _arrivals(client: Any, address: str, arrived: queue.Queue, wait: bool) -> list:
    """Futures that finished since the last call, waiting at most one poll if ``wait``."""
    finished = []
    try:
        if wait:
            finished.append(arrived.get(timeout=POLL_SECONDS))
        while True:
            finished.append(arrived.get_nowait())
    except queue.Empty:
        pass
    if client.status != "running" or any(f.status == "cancelled" for f in finished):
        raise _lost(client, address)
    return finished


def _gather(client: Any, address: str, futures: list, user_error: type) -> list:
    """The results of finished ``futures``; errors the user can act on say so."""
    if not futures:
        return []
    try:
        return client.gather(futures)
    except user_error as exc:  # the core's own message, raised on a worker
        raise ClusterError(f"on a worker of the Dask cluster at {address}: {exc}") from exc
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            raise ClusterError(
                f"workers of the Dask cluster at {address} died again and again while "
                f"computing a window ({exc}); check the workers' memory and logs"
            ) from exc
        if isinstance(exc, (OSError, TimeoutError)) or client.status != "running":
            raise _lost(client, address) from exc
        raise
