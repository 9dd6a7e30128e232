"""The trash ("Thùng rác"): deleted articles, restorable until purged."""
