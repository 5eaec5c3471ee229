"""The resolution checklist (checks run on plain data, never import ``service``)."""
