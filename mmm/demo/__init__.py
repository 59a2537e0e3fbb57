"""The fictional zone "PZ Demostad": its incidents, perimeters, partners, log-ins and action
plans, loaded through the normal import path (``mmm demo``).

One module per part:

- :mod:`~mmm.demo.zone` — the zone: outline, perimeters, incidents and labels, as files or loaded;
- :mod:`~mmm.demo.people` — one log-in per role, the partners and their assignments;
- :mod:`~mmm.demo.plans` — two action plans with their PDCA cycles.
"""

from mmm.demo.people import (
    DEMO_PARTNERS,
    DEMO_PASSWORD,
    add_demo_partners,
    add_demo_users,
    demo_store_refusal,
    is_demo_store,
)
from mmm.demo.plans import add_demo_plans
from mmm.demo.zone import (
    PHENOMENA,
    ZONE_NAME,
    Demo,
    DemoReport,
    build_demo,
    load_demo,
    write_demo_files,
)

__all__ = [
    "DEMO_PARTNERS",
    "DEMO_PASSWORD",
    "PHENOMENA",
    "ZONE_NAME",
    "Demo",
    "DemoReport",
    "add_demo_partners",
    "add_demo_plans",
    "add_demo_users",
    "build_demo",
    "demo_store_refusal",
    "is_demo_store",
    "load_demo",
    "write_demo_files",
]
