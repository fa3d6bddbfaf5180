"""Use cases that combine the pure core with storage. The CLI and web app call only these."""
