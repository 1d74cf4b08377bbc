"""The web console: server-rendered GOV.UK pages over the application layer, in the API's own app.

Pages live under `/console` (the JSON API keeps its paths); GOV.UK Frontend and MoJ Frontend come from
`node_modules` (`make install` runs `npm ci`) and are served under `/assets`. Every page works with JavaScript
off; every form carries a CSRF token (`security`); every page carries a strict Content-Security-Policy with
a per-response nonce for the GOV.UK template's one inline script. Routes call the use cases of
`safeguarding.service` and show their errors as GOV.UK error summaries.
"""
