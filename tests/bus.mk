# tests/bus.mk
