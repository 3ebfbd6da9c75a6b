"""Adapters: implementations of the ports, in memory and for the system clock."""
