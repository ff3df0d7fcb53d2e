"""Progress reporting and cancellation shared by every core function."""

from __future__ import annotations

from typing import Callable


class Cancelled(Exception):
    """Raised inside a core function when the user asked it to stop."""


class Progress:
    """Reports a fraction of work done and stops the work when asked to.

    ``report`` receives a fraction in [0, 1]; ``is_cancelled`` returns True when
    the user wants to stop, at which point the next call raises :class:`Cancelled`
    (except the final report of 1.0, made when the work is done).
    ``span(start, end)`` gives a child that maps its own [0, 1] onto part of this one,
    for functions made of several stages.
    """

    def __init__(
        self,
        report: Callable[[float], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        start: float = 0.0,
        end: float = 1.0,
    ) -> None:
        self._report = report
        self._is_cancelled = is_cancelled
        self._start = start
        self._end = end

    def __call__(self, fraction: float) -> None:
        # The final report comes once the outputs are in place: a cancel arriving
        # then would claim nothing was written while everything was.
        if fraction < 1.0:
            self.check()
        if self._report is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self._report(self._start + (self._end - self._start) * fraction)

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled("cancelled by the user")

    def span(self, start: float, end: float) -> Progress:
        width = self._end - self._start
        return Progress(
            self._report,
            self._is_cancelled,
            self._start + width * start,
            self._start + width * end,
        )


def as_progress(progress: Progress | None) -> Progress:
    """A usable Progress for a function whose caller passed None."""
    return progress if progress is not None else Progress()
