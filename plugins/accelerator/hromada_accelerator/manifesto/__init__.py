"""The manifesto: written together, revision by revision, adopted by decision, published only if the community wants."""
