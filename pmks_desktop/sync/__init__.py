"""Keys, signatures and (later) the bundle format that carries changes to the Dinas Sosial."""
