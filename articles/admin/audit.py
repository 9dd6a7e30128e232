"""The audit log ("Nhật ký tòa soạn"): who published, unpublished, deleted,
restored or purged what, and when. Read only."""
