"""gradleak: the BibTeX library of gradient leakage research, turned into a website.

This package never imports MkDocs; ``hooks/gradleak_hook.py`` wires it to MkDocs events.
"""

from .catalog import load_catalog, unbuildable
from .layout import LIST_LIMIT
from .model import Catalog, Diagnostic, Paper
from .settings import Settings, read_settings
from .site import SiteFiles, build_site

__all__ = ["LIST_LIMIT", "Catalog", "Diagnostic", "Paper", "Settings", "SiteFiles", "build_site",
           "load_catalog", "read_settings", "unbuildable"]
