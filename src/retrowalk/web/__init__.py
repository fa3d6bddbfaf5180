"""The web adapter: FastAPI routers and pages over :mod:`retrowalk.services`."""
