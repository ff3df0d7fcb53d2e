"""CHANGELOG.md and the changelog of metadata.txt (what the QGIS plugin manager shows)
tell the same story: the same released versions, newest first, with the same lines."""

from __future__ import annotations

import configparser
import re

from conftest import REPO

VERSION = re.compile(r"^## (\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}$")


def metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]


def metadata_changelog() -> dict[str, list[str]]:
    """Version -> its lines, in the order of metadata.txt's ``changelog=``."""
    entries: dict[str, list[str]] = {}
    version = ""
    for line in metadata()["changelog"].strip().splitlines():
        line = line.strip()
        if line.startswith("- "):
            entries[version].append(line[2:])
        else:
            version = line
            entries[version] = []
    return entries


def changelog_md() -> dict[str, list[str]]:
    """Released version -> its lines (of every category), in CHANGELOG.md's order."""
    entries: dict[str, list[str]] = {}
    version = None
    for line in (REPO / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            match = VERSION.match(line)
            version = match.group(1) if match else None
            if version:
                entries[version] = []
        elif version and line.startswith("- "):
            entries[version].append(line[2:])
    return entries


def test_newest_version_is_the_plugin_version_with_its_changelog_entry():
    released = changelog_md()
    assert released, "CHANGELOG.md names no released version"
    newest = next(iter(released))
    assert newest == metadata()["version"]
    assert next(iter(metadata_changelog())) == newest


def test_changelog_md_has_the_lines_of_every_metadata_entry():
    released = changelog_md()
    entries = metadata_changelog()
    assert list(released) == list(entries)
    for version, lines in entries.items():
        assert sorted(released[version]) == sorted(lines), version


def test_unreleased_section_comes_first():
    headings = [
        line
        for line in (REPO / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings[0] == "## Unreleased"
    assert all(VERSION.match(h) for h in headings[1:]), headings
