"""The staged resume pipeline: extract → validate → parse → skills → matching.

Pure functions over bytes and Structs: nothing here knows about HTTP, Celery or SQL.
"""
