"""The pure core: numbers, calendars, contracts, rules and errors.

Nothing here does I/O, reads the clock or imports an adapter.
"""
