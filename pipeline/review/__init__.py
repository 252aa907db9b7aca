"""The review round trip: segment manifests in briefings, and importing a reviewer's corrections."""
