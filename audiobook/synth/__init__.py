"""Synthesis at book scale: a content-addressed segment cache and executors that fill it.

:mod:`.cache` stores each segment's audio under a key made of everything that decides
it (spoken text, engine and its version, voice and settings); :mod:`.jobs` is what a
worker runs for one segment; :mod:`.executor` runs jobs in this process, on a local
process pool, or (:mod:`.dask_executor`) on a Dask cluster sharing the cache.
"""
