"""Safe file-system work shared by every command: contained paths, locks, bounded reads, atomic writes.

Each module owns one concern, so the catalog, the build, the CDA commands and the importers all refuse the
same hostile inputs in the same words.
"""
