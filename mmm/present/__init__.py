"""What a page or a file shows: zone and perimeter overviews, Folium maps and their scripts,
charts, exports, the progress report, the meeting dossier and slides, inlining and PDF.
"""
