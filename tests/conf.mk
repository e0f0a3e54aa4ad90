# tests/conf.mk
