"""Rendering a cast script into chapter files at book scale.

:mod:`.plan` turns each chapter into items (segment, voice, cache key) and a recipe
digest; :mod:`.state` remembers which files in an output folder were made from which
recipe, so a re-run skips chapters that did not change; :mod:`.write` stitches,
masters, encodes and tags one file from cached audio; :mod:`.book` runs synthesis
through an executor and writes chapters as their segments arrive.
"""
