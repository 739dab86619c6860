"""A package whose templates are named as package:path."""
