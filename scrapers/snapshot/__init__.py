"""The bundled offline snapshot of the universities' sites: its manifest, generators and HTTP server.

See README.md in this directory for what is real and what is authored, and how to rebuild it.
"""
