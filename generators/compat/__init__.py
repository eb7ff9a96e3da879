"""Compatibility reports: counterexample documents for DOCUMENT_* findings and the report formats.

The comparison itself is `structures.compat` (it reads only the model); this package adds what needs
documents and validators (`proof`) and what people and CI read (`render`).
"""
