"""Benchmarks, run as scripts (see the Makefile's bench target); a package so that they share code."""
