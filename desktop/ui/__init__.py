"""The window: the only package that imports Qt (tests/test_layers.py enforces it).

Importing this package itself loads no Qt, so the command line and the frozen launcher can reach
`desktop.ui.fatal_error` before they know Qt can start. See docs/ARCHITECTURE.md for the map.
"""
