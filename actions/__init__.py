"""FHB-bot custom actions, forms and the visit database layer."""
