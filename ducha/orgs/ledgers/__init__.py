"""Ledgers (台账) of org units, people and places: .xlsx/.csv import and .xlsx export.

readers.py turns a file into numbered rows; units.py, people.py and places.py check and
write their list; export.py writes workbooks; services.py holds the actions the web calls.
"""
