"""A package whose ``@subscriber`` functions a scan finds."""
