"""Generators: one module or package per output kind, each reading only the typed model."""
