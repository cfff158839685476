"""Every write in the portal, by topic: the catalogue, surveys, feedback, shutdowns."""

from pyithu.portal.services.catalogue import (
    CATALOGUE_PATH,
    CatalogueError,
    load_catalogue,
    read_catalogue,
)

__all__ = ["CATALOGUE_PATH", "CatalogueError", "load_catalogue", "read_catalogue"]
