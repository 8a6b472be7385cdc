"""The ledger (台账) sheet contract: what an app implements to put a sheet in the workbook.

An app declares its sheets in ``<app>/ledger_sheets.py`` with :mod:`.registry` and parses cells
with :mod:`.cells`; the ``renda.ledger`` app (on top of every app) imports, exports and serves
the workbook from what is registered here.
"""
