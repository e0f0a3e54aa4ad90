# tests/logger.mk
