"""Micro-local perimeters: geometry checks (validity, size, crossing points) and editing with
versions, history and audit, shared by the browser editor, the API and the CLI.
"""
