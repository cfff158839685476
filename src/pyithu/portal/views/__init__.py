"""The portal's pages, by topic; ``urls.py`` names each module."""
