"""Bulk import of enterprises and yearly indicators: read → validate on whole columns → write once."""
