"""Output files: partial files with a recognisable name, atomic replacement, and
errors that say what is wrong with the output folder.

Every output is first written to ``<name>.landcover-partial-<pid>-<random><suffix>``
beside the target and renamed over it only when complete. A run that is killed
(SIGKILL, power loss) leaves such a file behind; the process id in its name lets the
next run writing the same output remove it once that process is gone.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import InputError

PARTIAL_MARK = ".landcover-partial-"
_PARTIAL = re.compile(re.escape(PARTIAL_MARK) + r"(\d+)-[0-9a-f]+")
# Sidecars GDAL may write beside a raster, removed with it.
SIDECARS = (".aux.xml", ".ovr", ".msk")
# Below this, a folder counts as full before anything is computed.
MIN_FREE_BYTES = 1 << 20


class OutputError(InputError):
    """An output cannot be written; the message names the folder and what to do."""


def output_folder(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.parent if str(path.parent) else Path(".")


def disk_full_error(path: str | os.PathLike) -> OutputError:
    return OutputError(
        f"the disk is full: {output_folder(path)} has no space left for {Path(path).name}; "
        "free some space or choose an output folder on another disk"
    )


def check_output_path(path: str | os.PathLike) -> Path:
    """``path`` as a Path, after checking that it can be written: not a folder, in a
    folder that exists, can be written and has some free space."""
    path = Path(path)
    folder = output_folder(path)
    if path.is_dir():
        raise OutputError(f"the output {path} is a folder; give a file name inside it instead")
    if not folder.is_dir():
        raise OutputError(
            f"the output folder {folder} does not exist; create it or choose another path"
        )
    if not os.access(folder, os.W_OK) or _read_only(folder):
        raise OutputError(
            f"the output folder {folder} cannot be written (read-only or no permission); "
            "choose a folder you can write to"
        )
    with suppress(OSError):
        if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
            raise disk_full_error(path)
    return path


def _read_only(folder: Path) -> bool:
    # root passes os.access on a read-only mount; the mount flag tells.
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def partial_path(path: str | os.PathLike, suffix: str | None = None) -> Path:
    """A new partial file name beside ``path`` carrying this process's id."""
    path = Path(path)
    suffix = path.suffix if suffix is None else suffix
    return path.with_name(f"{path.name}{PARTIAL_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}{suffix}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


def remove_quietly(path: Path) -> None:
    """Remove a file (or a partial folder) and the sidecars GDAL may have put beside it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDECARS)):
        with suppress(FileNotFoundError, IsADirectoryError):
            candidate.unlink()


def remove_stale_partials(path: str | os.PathLike) -> list[Path]:
    """Remove partial files of ``path`` left by runs of this plugin that no longer
    exist (their process id is gone). Returns what was removed."""
    path = Path(path)
    removed = []
    with suppress(OSError):
        for candidate in output_folder(path).glob(f"{glob_escape(path.name)}{PARTIAL_MARK}*"):
            match = _PARTIAL.match(candidate.name[len(path.name) :])
            if match and not _alive(int(match.group(1))):
                remove_quietly(candidate)
                removed.append(candidate)
    return removed


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def write_error(exc: OSError, path: str | os.PathLike) -> OutputError:
    """A user message for an operating-system error while writing ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full_error(path)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return OutputError(
            f"the output folder {output_folder(path)} cannot be written "
            f"({exc.strerror}); choose a folder you can write to"
        )
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def move_into_place(temporary: Path, path: Path) -> None:
    """Rename ``temporary`` over ``path``, with the files sharing its stem (a
    shapefile's ``.dbf``, a CSV's ``.csvt``) renamed to ``path``'s stem."""
    stem = temporary.name[: -len(temporary.suffix)] if temporary.suffix else temporary.name
    siblings = [s for s in temporary.parent.glob(glob_escape(stem) + ".*") if s != temporary]
    try:
        os.replace(temporary, path)
        for sibling in siblings:
            os.replace(sibling, path.with_suffix(sibling.name[len(stem) :]))
    except OSError as exc:
        raise write_error(exc, path) from exc


def remove_family(temporary: Path) -> None:
    """Remove a partial file and the files sharing its stem."""
    stem = temporary.name[: -len(temporary.suffix)] if temporary.suffix else temporary.name
    for sibling in [temporary, *temporary.parent.glob(glob_escape(stem) + ".*")]:
        remove_quietly(sibling)


@contextmanager
def atomic_outputs(
    paths: Sequence[str | os.PathLike | None],
) -> Iterator[list[Path | None]]:
    """Yield partial paths for several outputs (None stays None); they replace their
    targets together once the body succeeds, so a cancel or an error in the body
    leaves none of them."""
    targets = [None if p is None else check_output_path(p) for p in paths]
    partials = []
    for target in targets:
        if target is not None:
            remove_stale_partials(target)
        partials.append(None if target is None else partial_path(target))
    try:
        yield partials
        for partial, target in zip(partials, targets):
            if partial is not None:
                move_into_place(partial, target)
    except OSError as exc:
        raise write_error(exc, next((t for t in targets if t), Path("output"))) from exc
    finally:
        for partial in partials:
            if partial is not None:
                remove_family(partial)
