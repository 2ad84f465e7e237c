"""One module per dashboard page; each exposes one function that draws the page."""
