"""The Streamlit layer: the only part of reportlens that imports streamlit (cache, filters, strings, widgets)."""
