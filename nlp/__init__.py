"""INGE's language processing: text extraction, cleaning, the spaCy pipeline and matching.

Everything here takes plain data and returns plain data; it never imports `service`.
"""
