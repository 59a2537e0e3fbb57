"""Perimeter pages: the list, and one page per perimeter with map, table and charts."""

from webmap.perimeters.routes import bp

__all__ = ["bp"]
