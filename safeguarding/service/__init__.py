"""The application layer: every use case of the product, once, for the command line, the demo, the API and the console.

Each use case is an async function taking `Services` (the Temporal client and the case store's session
factory, built once by a composition root: `safeguarding.service.root`), the acting `Principal` (from a
credential, never from a request body: `safeguarding.service.access`) and its input; it checks who may do
it before anything reaches a workflow, and raises the domain errors of `safeguarding.service.errors`, which
each entry point maps to its own form (an exit code, an HTTP problem, a form's error summary).
"""
