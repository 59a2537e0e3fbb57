"""The words of a hotspot run's steps, as the page shows them while it waits.

Why here: the core reports its steps as codes (:func:`mmm.hotspots.run_hotspots`'s ``progress``;
the core has no words of any language); the web layer says them in the person's language, with
the phenomenon's label where a step is about one phenomenon.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from webmap.jobs.job import Progress


def hotspot_steps(labels: dict[str, str], progress: Progress) -> Callable[[str, int, int], None]:
    """A core ``progress`` callback that hands each step on to ``progress`` in words."""

    def report(step: str, done: int, total: int) -> None:
        progress(step_words(step, labels), done, total)

    return report


def step_words(step: str, labels: dict[str, str]) -> str:
    """What the person reads for one step code of the run (``labels``: phenomenon labels)."""
    if step.startswith("phenomenon:"):
        code = step.split(":", 1)[1]
        return _("Hot spots of %(phenomenon)s…", phenomenon=labels.get(code, code))
    words = {
        "incidents": _("Reading the incidents…"),
        "grid": _("Counting the incidents per cell…"),
        "candidates": _("Drawing the candidate perimeters…"),
        "colocation": _("Comparing which phenomena occur together…"),
        "accuracy": _("Measuring the hit rate on the later months…"),
    }
    return words.get(step, _("Computing the hotspots…"))
