# tests/scripts.mk
