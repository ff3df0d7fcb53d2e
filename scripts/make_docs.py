"""Write ``docs/algorithms.md``: one section per algorithm, from its own help.

The help strings in the code are the single source; this page collects them with
every parameter's name, type, default and help text, for reading outside QGIS.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def plain(text: str) -> str:
    """Help strings are small HTML; turn them into Markdown-friendly text."""
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</?(p|ul|ol)>", "\n", text)
    text = re.sub(r"<li>", "\n- ", text)
    text = re.sub(r"</?b>", "**", text)
    text = re.sub(r"</?i>", "*", text)
    text = re.sub(r"</?code>", "`", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def main() -> None:
    from benchlib import link_plugin

    link_plugin()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelAlgorithm,
        QgsProcessingParameterDefinition,
    )

    app = QgsApplication([], False)
    app.initQgis()
    from landcover.provider import LandcoverProvider

    provider = LandcoverProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    lines = [
        "# Algorithm reference",
        "",
        "Generated from the algorithms' own help by `scripts/make_docs.py`; "
        "the same text appears in the Processing Toolbox.",
        "",
    ]
    algorithms = sorted(provider.algorithms(), key=lambda a: (a.groupId(), a.displayName()))
    group = None
    for alg in algorithms:
        if alg.group() != group:
            group = alg.group()
            lines += [f"## {group}", ""]
        # A model's short help is a whole HTML page with every parameter; its own
        # description is enough here, the table below has the parameters.
        if isinstance(alg, QgsProcessingModelAlgorithm):
            help_text = alg.helpContent().get("ALG_DESC", "")
        else:
            help_text = alg.shortHelpString()
        lines += [f"### {alg.displayName()} (`{alg.id()}`)", "", plain(help_text), ""]
        lines += ["| parameter | type | default | description |", "|---|---|---|---|"]
        for p in alg.parameterDefinitions():
            advanced = p.flags() & QgsProcessingParameterDefinition.FlagAdvanced
            optional = p.flags() & QgsProcessingParameterDefinition.FlagOptional
            kind = (
                p.type() + (", optional" if optional else "") + (", advanced" if advanced else "")
            )
            default = "" if p.defaultValue() in (None, "") else f"`{p.defaultValue()}`"
            text = p.description() + (f": {plain(p.help())}" if p.help() else "")
            lines.append(f"| `{p.name()}` | {kind} | {default} | {text.replace('|', '/')} |")
        outputs = [
            o
            for o in alg.outputDefinitions()
            if o.name() not in {p.name() for p in alg.parameterDefinitions()}
        ]
        for o in outputs:
            lines.append(f"| `{o.name()}` | output {o.type()} | | {o.description()} |")
        lines.append("")
    target = REPO / "docs" / "algorithms.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    print(target)
    QgsApplication.processingRegistry().removeProvider(provider)


if __name__ == "__main__":
    main()
