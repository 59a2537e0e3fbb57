"""Counting incidents per perimeter (or grid cell) × phenomenon × period: the in-process count,
the PostGIS and dask engines, the zone grid, and the month ranges the pages choose from.
"""
