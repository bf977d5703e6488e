"""Request handlers, one module per API group; each exports its rows of the route table."""
