"""The registry's dependency-free core: what every other package may import, and which imports none of them.

What belongs here: the domain (the institutions and their national rules, the EU's Annex I list, the
vocabularies, the one table specification the schema, the casts and the dictionary are generated from) and
the few standard-library helpers every layer needs. Nothing here imports another package of the project or a
third-party library: it is the bottom layer (README, "How it is built").
"""
