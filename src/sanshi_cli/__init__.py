"""sanshi: keep a district's key construction projects (三十工程) on schedule."""

__version__ = "0.1.0"
