"""Numeric core of the land-cover plugin.

Never imports QGIS: every computation here is usable and testable on its own with
numpy, scipy, scikit-learn and rasterio.
"""
