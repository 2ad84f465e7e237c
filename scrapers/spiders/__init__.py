"""One spider per institution, each a thin subclass of ``RegistrySpider`` saying only what differs."""
