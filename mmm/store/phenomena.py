"""The zone's own phenomena as data, and its profile (``mmm phenomenon …``, ``mmm init``).

A phenomenon is a code (``burglary_dwelling``) with a label per interface language, a weight in
the multi-phenomenon hotspot score and, when the zone sets one, its own suppression threshold:
counts below it are hidden from partners. A phenomenon without a stored threshold keeps the
``MMM_SUPPRESS_*`` settings' (:mod:`mmm.access.rules` applies the stored one first). The labels
live in the ``labels`` table like every other label; the ``phenomena.label`` column holds the
label in the zone's first language, what a display falls back to.

Why a module of its own: these rows are the zone's configuration, written by an analyst or an
admin one at a time and audited each; the incidents only refer to them by code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, insert, select

from mmm.errors import MMMError, NotFound
from mmm.limits import NAME_CHARS, check_text
from mmm.store import schema
from mmm.store.base import MAX_WEIGHT, StoreBase, now_iso

#: The interface languages a label can be given in (as :data:`mmm.access.users.LANGUAGES`).
LANGUAGES = ("nl", "fr", "de", "en")
#: A new phenomenon's code: lower-case letters, digits and underscores, a letter first.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
#: The highest suppression threshold a phenomenon can get (a count below it is hidden).
MAX_THRESHOLD = 1_000


@dataclass(frozen=True)
class ZoneProfile:
    """What ``mmm init`` wrote: the zone's name and its interface languages (first: default)."""

    name: str
    languages: tuple[str, ...]
    created_at: str


class PhenomenonTables(StoreBase):
    """The phenomena with their labels, weights and thresholds; the zone's profile."""

    # -- the zone's profile ----------------------------------------------------------------
    def zone_profile(self) -> ZoneProfile | None:
        """The zone's name and languages, or ``None`` for a store not made by ``mmm init``."""
        t = schema.zone_profile.c
        with self.engine.connect() as conn:
            row = conn.execute(select(t.name, t.languages, t.created_at)).first()
        if row is None:
            return None
        return ZoneProfile(row.name, tuple(row.languages.split(",")), row.created_at)

    def set_zone_profile(self, name: str, languages: tuple[str, ...], *, actor: str) -> None:
        """Write the zone's name and languages (replacing earlier ones); audited.

        Raises
        ------
        MMMError
            For no language, an unknown or a repeated one.
        TextRefused
            For an empty name, one longer than :data:`mmm.limits.NAME_CHARS` or holding a
            control character.
        """
        name = check_text(name.strip(), "the zone's name", limit=NAME_CHARS)
        if not name:
            raise MMMError("the zone's name is empty")
        _check_languages(languages)
        with self.engine.begin() as conn:
            conn.execute(schema.zone_profile.delete())
            conn.execute(
                insert(schema.zone_profile),
                {"id": 1, "name": name, "languages": ",".join(languages), "created_at": now_iso()},
            )
            detail = {"name": name, "languages": list(languages)}
            self.write_audit(conn, actor, "init", "zone", "1", detail)
            self._mark_changed(conn, "zone profile", "languages", actor)

    # -- phenomena ---------------------------------------------------------------------------
    def phenomenon_table(self) -> pd.DataFrame:
        """One row per phenomenon, by code: ``code``, ``label``, ``weight``, ``threshold``
        (``<NA>``: the settings decide) and ``label_nl`` … ``label_en`` (``""`` when none)."""
        p, lab = schema.phenomena.c, schema.labels.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.code, p.label, p.weight, p.threshold).order_by(p.code)
            ).all()
            given = conn.execute(
                select(lab.key, lab.language, lab.label).where(lab.kind == "phenomenon")
            ).all()
        frame = pd.DataFrame(rows, columns=["code", "label", "weight", "threshold"])
        frame["weight"] = frame["weight"].astype(float)
        frame["threshold"] = frame["threshold"].astype("Int64")
        labels = {(key, language): label for key, language, label in given}
        for language in LANGUAGES:
            frame[f"label_{language}"] = [labels.get((c, language), "") for c in frame["code"]]
        return frame

    def phenomenon_codes(self) -> dict[str, int | None]:
        """Every phenomenon's code with its stored threshold (``None``: the settings decide),
        in one query: every partner's request asks (:func:`mmm.access.rules.thresholds_of`)."""
        t = schema.phenomena.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.code, t.threshold).order_by(t.code)).all()
        return {code: None if n is None else int(n) for code, n in rows}

    def phenomenon_thresholds(self) -> dict[str, int]:
        """The thresholds the zone stored, by code (phenomena without one are left out)."""
        t = schema.phenomena.c
        query = select(t.code, t.threshold).where(t.threshold.is_not(None))
        with self.engine.connect() as conn:
            return {code: int(n) for code, n in conn.execute(query).all()}

    def add_phenomenon(
        self,
        code: str,
        labels: Mapping[str, str],
        *,
        weight: float = 1.0,
        threshold: int | None = None,
        actor: str,
    ) -> None:
        """Add a phenomenon with its labels (at least one), weight and threshold; audited.

        Raises
        ------
        MMMError
            For a code that is not lower-case letters, digits and underscores, one that exists,
            no label, a label in an unknown language, a weight outside 0–100 or a threshold
            outside 1–1,000.
        TextRefused
            For a label too long or holding a control character.
        """
        if not CODE.match(code):
            raise MMMError(
                f"{code!r} is not a phenomenon code: use lower-case letters, digits and "
                "underscores, a letter first, at most 100 characters (e.g. bicycle_theft)"
            )
        given = _check_labels(labels)
        if not given:
            raise MMMError(f"give {code} a label in at least one language (--label-nl …)")
        _check_weight(weight)
        _check_threshold(threshold)
        with self.engine.begin() as conn:
            if code in _codes(conn):
                raise MMMError(
                    f"phenomenon {code!r} exists already: change it with mmm phenomenon set"
                )
            conn.execute(
                insert(schema.phenomena),
                {
                    "code": code,
                    "label": self._default_label(conn, given),
                    "weight": float(weight),
                    "threshold": threshold,
                },
            )
            self._write_labels(conn, code, given)
            detail = {"labels": sorted(given), "weight": weight, "threshold": threshold}
            self.write_audit(conn, actor, "add", "phenomenon", code, detail)
            self._mark_changed(conn, "phenomena", code, actor)

    def set_phenomenon(
        self,
        code: str,
        labels: Mapping[str, str],
        *,
        weight: float | None = None,
        threshold: int | None = None,
        clear_threshold: bool = False,
        actor: str,
    ) -> None:
        """Change a phenomenon's labels, weight or threshold (what is not given stays); audited.

        ``clear_threshold`` removes the zone's threshold: the settings decide again.

        Raises
        ------
        NotFound
            For an unknown code (the message lists the known ones).
        MMMError
            As :meth:`add_phenomenon`, or for nothing to change.
        """
        given = _check_labels(labels)
        if weight is not None:
            _check_weight(weight)
        _check_threshold(threshold)
        if threshold is not None and clear_threshold:
            raise MMMError("give --threshold N or --default-threshold, not both")
        if not given and weight is None and threshold is None and not clear_threshold:
            raise MMMError("nothing to change: give a label, --weight or --threshold")
        t = schema.phenomena
        with self.engine.begin() as conn:
            known = _codes(conn)
            if code not in known:
                raise NotFound(
                    f"no phenomenon {code!r}; known: {', '.join(sorted(known)) or 'none yet'}"
                )
            values: dict[str, object] = {}
            if weight is not None:
                values["weight"] = float(weight)
            if threshold is not None or clear_threshold:
                values["threshold"] = threshold
            self._write_labels(conn, code, given)
            default = self._default_label(conn, self._all_labels(conn, code))
            conn.execute(t.update().where(t.c.code == code).values(label=default, **values))
            detail = {"labels": sorted(given), **values}
            self.write_audit(conn, actor, "set", "phenomenon", code, detail)
            self._mark_changed(conn, "phenomena", code, actor)

    def _write_labels(self, conn: Connection, code: str, labels: Mapping[str, str]) -> None:
        t = schema.labels
        for language, label in labels.items():
            conn.execute(
                t.delete().where(
                    t.c.kind == "phenomenon", t.c.key == code, t.c.language == language
                )
            )
            conn.execute(
                insert(t),
                {"kind": "phenomenon", "key": code, "language": language, "label": label},
            )

    def _all_labels(self, conn: Connection, code: str) -> dict[str, str]:
        t = schema.labels.c
        query = select(t.language, t.label).where(t.kind == "phenomenon", t.key == code)
        return {language: label for language, label in conn.execute(query).all()}

    def _default_label(self, conn: Connection, labels: Mapping[str, str]) -> str:
        """The label in the zone's first language that has one (else nl, fr, de, en)."""
        row = conn.execute(select(schema.zone_profile.c.languages)).first()
        order = [*(row.languages.split(",") if row else ()), *LANGUAGES]
        return next(labels[lang] for lang in order if lang in labels)


def _codes(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.phenomena.c.code)).scalars())


def _check_languages(languages: tuple[str, ...]) -> None:
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if not languages or unknown or len(set(languages)) != len(languages):
        raise MMMError(
            f"languages {','.join(languages) or '(none)'}: give one or more of "
            f"{', '.join(LANGUAGES)}, each once, the default first (e.g. nl,fr)"
        )


def _check_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """The labels given (blank ones left out), each checked."""
    out = {}
    for language, label in labels.items():
        if language not in LANGUAGES:
            raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
        text = (label or "").strip()
        if text:
            out[language] = check_text(text, f"the {language} label", limit=NAME_CHARS)
    return out


def _check_weight(weight: float) -> None:
    if not 0.0 <= float(weight) <= MAX_WEIGHT:
        raise MMMError(f"a weight must be a number from 0 to {MAX_WEIGHT:g}, not {weight:g}")


def _check_threshold(threshold: int | None) -> None:
    if threshold is not None and not 1 <= threshold <= MAX_THRESHOLD:
        raise MMMError(
            f"a threshold must be a whole number from 1 to {MAX_THRESHOLD:,} (counts below it "
            f"are hidden from partners), not {threshold}"
        )
