"""The core is a library: importing it must not pull in the web framework."""

import subprocess
import sys


def test_import_mmm_leaves_flask_out() -> None:
    code = (
        "import sys, mmm, mmm.cli, mmm.imports, mmm.aggregate, mmm.export, mmm.store;"
        "sys.exit(1 if 'flask' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_check_would_notice_flask() -> None:
    code = "import sys, webmap; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 1
