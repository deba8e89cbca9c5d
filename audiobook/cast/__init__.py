"""cast stage."""
