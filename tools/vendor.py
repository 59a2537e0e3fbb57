"""Copy the pinned front-end files from ``node_modules/`` to ``webmap/static/vendor/``.

Why: the app must work on a closed network, so Leaflet, its plugins and the chart library are
served by the app itself. ``npm ci`` fetches exactly the versions pinned in ``package.json`` /
``package-lock.json``; this script copies only the files a page loads (plus each licence), so
``webmap/static/vendor/`` stays small and git-ignored. The test-only packages
(``devDependencies``: axe-core, the accessibility checker the browser tests run on every page) go
to ``build/test-vendor/`` instead, where the app never serves them. Standard library only.

Usage (from the repository root, after ``npm ci``)::

    python tools/vendor.py [--node-modules DIR] [--dest DIR] [--test-dest DIR]

The layout it writes is the one :meth:`mmm.present.maps.Assets.under` expects.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: package → (source path inside the package, destination path inside vendor/<package>/).
#: A source ending in "/" is a folder copied as a whole (Leaflet's marker and layer icons).
FILES: dict[str, list[tuple[str, str]]] = {
    "leaflet": [
        ("dist/leaflet.js", "leaflet.js"),
        ("dist/leaflet.css", "leaflet.css"),
        ("dist/images/", "images/"),
        ("LICENSE", "LICENSE"),
    ],
    "leaflet.markercluster": [
        ("dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
        ("dist/MarkerCluster.css", "MarkerCluster.css"),
        ("dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
        ("MIT-LICENCE.txt", "LICENSE"),
    ],
    # Drawing and editing perimeters in the browser (the perimeter editor).
    "@geoman-io/leaflet-geoman-free": [
        ("dist/leaflet-geoman.min.js", "leaflet-geoman.min.js"),
        ("dist/leaflet-geoman.css", "leaflet-geoman.css"),
        ("LICENSE", "LICENSE"),
    ],
    "vega": [("build/vega.min.js", "vega.min.js"), ("LICENSE", "LICENSE")],
    "vega-lite": [("build/vega-lite.min.js", "vega-lite.min.js"), ("LICENSE", "LICENSE")],
    "vega-embed": [("build/vega-embed.min.js", "vega-embed.min.js"), ("LICENSE", "LICENSE")],
    # Vega expressions without eval, so the pages' Content-Security-Policy needs no
    # 'unsafe-eval' (webmap/static/charts.js passes it to vegaEmbed).
    "vega-interpreter": [
        ("build/vega-interpreter.js", "vega-interpreter.js"),
        ("LICENSE", "LICENSE"),
    ],
}


#: Test-only packages (``devDependencies``), copied to ``--test-dest``: never served by the app.
TEST_FILES: dict[str, list[tuple[str, str]]] = {
    # tests/browser/ runs it in every page (tests/browser/pages.py) and fails on serious findings.
    "axe-core": [("axe.min.js", "axe.min.js"), ("LICENSE", "LICENSE")],
}


class VendorError(Exception):
    """A file or version is not what package.json pins; the message says what to run."""


_VEGA_UTIL_IMPORT = re.compile(r"^import \{([^}]*)\} from 'vega-util';$", re.M)
_INTERPRETER_EXPORT = "export { expression as expressionInterpreter };"


def classic_interpreter(module: str) -> str:
    """vega-interpreter as a classic script: it ships only as an ES module importing vega-util.

    The functions it imports come from the global ``vega`` (loaded before it, it re-exports
    vega-util), and it adds ``vega.expressionInterpreter``; no bundler needed.

    Raises
    ------
    VendorError
        When the module is not laid out as this adapter expects (a new version changed it).
    """
    if len(_VEGA_UTIL_IMPORT.findall(module)) != 1 or _INTERPRETER_EXPORT not in module:
        raise VendorError("vega-interpreter: its module layout changed; update classic_interpreter")
    body = _VEGA_UTIL_IMPORT.sub(lambda m: f"const {{{m[1]}}} = vega;", module)
    body = body.replace(_INTERPRETER_EXPORT, "vega.expressionInterpreter = expression;")
    body = re.sub(r"^//# sourceMappingURL=.*$", "", body, flags=re.M)
    return f"(function () {{\n{body}\n}})();\n"


#: Files rewritten on the way (destination inside vendor/ → how).
ADAPTERS = {"vega-interpreter/vega-interpreter.js": classic_interpreter}


def pinned_versions(package_json: Path) -> dict[str, str]:
    """The exact versions ``package.json`` pins (dependencies and devDependencies), by name."""
    manifest = json.loads(package_json.read_text(encoding="utf-8"))
    return {**manifest["dependencies"], **manifest.get("devDependencies", {})}


def check_sources(
    node_modules: Path, pins: dict[str, str], tables: tuple[dict[str, list[tuple[str, str]]], ...]
) -> None:
    """Refuse to copy when a package is missing, at another version, or lacks a file."""
    problems = []
    for package, files in (item for table in tables for item in table.items()):
        folder = node_modules / package
        manifest = folder / "package.json"
        if not manifest.is_file():
            problems.append(f"{package}: not installed in {node_modules}")
            continue
        found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if package in pins and found != pins[package]:
            problems.append(f"{package}: {found} installed, package.json pins {pins[package]}")
        for source, _ in files:
            path = folder / source.rstrip("/")
            if not (path.is_dir() if source.endswith("/") else path.is_file()):
                problems.append(f"{package}: missing {path}")
    if problems:
        raise VendorError(
            "cannot vendor the front-end files:\n  "
            + "\n  ".join(problems)
            + "\nRun `npm ci` in the repository root first."
        )


def copy_files(
    node_modules: Path, dest: Path, table: dict[str, list[tuple[str, str]]] = FILES
) -> list[Path]:
    """Replace each ``dest/<package>/`` with the files ``table`` lists; returns what was written."""
    written = []
    for package, files in table.items():
        target = dest / package
        if target.exists():
            shutil.rmtree(target)  # no stale file from an older version stays behind
        for source, name in files:
            src, out = node_modules / package / source.rstrip("/"), target / name.rstrip("/")
            out.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, out)
                written += sorted(p for p in out.rglob("*") if p.is_file())
            elif f"{package}/{name}" in ADAPTERS:
                adapt = ADAPTERS[f"{package}/{name}"]
                out.write_text(adapt(src.read_text(encoding="utf-8")), encoding="utf-8")
                written.append(out)
            else:
                shutil.copyfile(src, out)
                written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    """Check, then copy; prints one line per package, or the problems and exits with 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--dest", type=Path, default=ROOT / "webmap" / "static" / "vendor")
    parser.add_argument("--test-dest", type=Path, default=ROOT / "build" / "test-vendor")
    args = parser.parse_args(argv)
    pins = pinned_versions(ROOT / "package.json")
    try:
        check_sources(args.node_modules, pins, (FILES, TEST_FILES))
    except VendorError as exc:
        print(exc, file=sys.stderr)
        return 1
    for table, dest in ((FILES, args.dest), (TEST_FILES, args.test_dest)):
        written = copy_files(args.node_modules, dest, table)
        for package in table:
            count = sum(1 for p in written if p.is_relative_to(dest / package))
            print(f"vendored {package} {pins.get(package, '?')}: {count} files -> {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
