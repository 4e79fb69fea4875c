"""Fictional demo data: offices, Korean companies, foreign partners and three matchmaking days."""

from matchmaker.demo.loader import DemoDataExists, demo_is_needed, load_demo

__all__ = ["DemoDataExists", "demo_is_needed", "load_demo"]
