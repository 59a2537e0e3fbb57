"""MMM Planner core library.

The core never imports Flask: the web app (``webmap``) and the CLI (``mmm.cli``) are thin
layers on top of these functions.
"""

__version__ = "0.1.0"
