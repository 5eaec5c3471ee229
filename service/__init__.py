"""INGE service: web app, API, worker, CLI, persistence, auth and tenancy."""

__version__ = "0.1.0"
