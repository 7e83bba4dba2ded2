"""The local session history (SQLite): what was done, set by set, and reading it back.

``store`` opens and writes the database, ``records`` are what is written,
``live.save_finished_set`` is the live session's one call per set,
``from_report`` logs an analysed video, ``queries`` reads everything back.
(Nothing is imported here, so ``formcheck --help`` stays fast.)
"""
