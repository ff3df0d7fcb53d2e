"""One module per Processing algorithm; the provider finds them here.

Algorithm modules import the numeric core inside ``processAlgorithm`` (not at module
level), so the plugin still loads when numpy, scipy, scikit-learn or rasterio is
missing and ``canExecute`` can say what to install.
"""
