"""The side-by-side benchmark: viewpick against Pyramid, Flask, Bottle, Falcon and two hand-written floors.

Run ``python -m bench`` (or ``make bench``); bench/README.md explains the scenarios and holds the latest table.
"""
