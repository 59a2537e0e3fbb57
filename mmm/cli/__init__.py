"""The ``mmm`` command: one module per command group around the core functions."""

from mmm.cli.group import cli, main

__all__ = ["cli", "main"]
