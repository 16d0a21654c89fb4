"""Benchmarks: each one command, results kept in bench/results/ with the machine, the commit and the date."""
