"""One module per resource: its JSON API (``router``) and its pages (``pages``)."""
