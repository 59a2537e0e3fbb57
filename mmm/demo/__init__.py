"""The fictional zone "PZ Demostad": its incidents, perimeters, partners, log-ins and action
plans, loaded through the normal import path (``mmm demo``)."""

from mmm.demo.plans import add_demo_plans
from mmm.demo.zone import (
    DEMO_PARTNERS,
    DEMO_PASSWORD,
    PHENOMENA,
    ZONE_NAME,
    Demo,
    DemoReport,
    add_demo_partners,
    add_demo_users,
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
    "load_demo",
    "write_demo_files",
]
