"""Timeliness indicators as the DfE counts them, and ours where our rules differ (statutory-rules.md §1–§9).

Pure computation: the case store's facts come in as plain records (`records.py`), the calendar as data. The
store's queries are in `safeguarding/store/timeliness.py`, the use case in `safeguarding/service/timeliness.py`.
"""
