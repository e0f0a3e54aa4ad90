# tests/pm.mk
