"""Action plans and their PDCA cycles: list, write, monitor, evaluate; survey figures."""

from webmap.plans import cycles, surveys  # noqa: F401  (register their views on bp)
from webmap.plans.routes import bp

__all__ = ["bp"]
