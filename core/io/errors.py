"""Errors the user can fix: their messages say what is wrong and what to do."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input for a core function; the message is written for the user."""


class ModelFileError(InputError):
    """A model file that cannot be used: damaged, not written by this plugin, or
    written by a newer version of it."""
