"""Attachments: files a project attaches, their bytes content-addressed in spaces.storage."""
