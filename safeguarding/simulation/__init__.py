"""A simulated authority's caseload: who is referred when, and what the people then do (pure: no I/O).

`national_rates` holds the flow rates from the DfE's published national statistics; `behaviour` the small
model of how the practitioners act (how long a decision takes, how often a visit slips); `caseload`
draws a reproducible caseload from both for a period. `starter.simulate` drives it through the real
workflows and activities on a time-skipping server.
"""
