"""PMKS Desktop: offline PMKS records for kecamatan offices and the Dinas Sosial."""

__version__ = "0.1.0"
APP_NAME = "PMKS Desktop"
APP_ID = "pmks-desktop"
