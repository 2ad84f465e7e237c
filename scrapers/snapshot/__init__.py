"""The bundled offline snapshot of the universities' sites: its manifest and HTTP server (its generators are in
``tools/snapshot/``, run from the repository).

See README.md in this directory for what is real and what is authored, and how to rebuild it.
"""
