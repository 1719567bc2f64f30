"""Thin QAbstractTableModel adapters over service data, each with one ``set_rows()``."""
