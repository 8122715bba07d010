"""Printers: tables (``get``), describe layouts, YAML/JSON, JSONPath, custom columns."""
