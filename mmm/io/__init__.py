"""Files in and out: reading any GDAL source (pyogrio), the row rules an import applies, an
import run with its rejection report, GeoJSON for the browser, and the file writers of exports.
"""
