"""Glossary file formats, one module each."""
