"""The process workflows: one module per statutory process, deterministic code only.

This file imports nothing: the sandbox loads it for every workflow run. The list of workflows is
`workflows.registry.ALL_WORKFLOWS`.
"""
