"""Uploaded images: what is accepted (validation), the WebP and AVIF variants made from it
(variants), what a page shows of them (pictures) and the fields that get them (registry)."""
