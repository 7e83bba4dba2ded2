"""The results table of a batch: which videos are analysed, what was found, rep by rep.

``formcheck analyze FOLDER --report-dir DIR`` records every finished file in
``DIR/results.sqlite``, keyed by the video's content and everything that
changes its report, so running the command again skips what is done, retries
what failed (a bounded number of times) and finishes the rest, whichever
executor (the local process pool, a cluster) ran the files.
"""
