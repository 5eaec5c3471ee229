"""Evaluations of INGE's language processing against hand-made gold annotations.

They read the documents from ../shared (next to the repository); run e.g.
`python -m nlp.eval.insek`.
"""
