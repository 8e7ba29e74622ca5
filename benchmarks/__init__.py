"""Benchmarks of the store and the window at scale (issue 4): `python benchmarks/run.py`."""
