"""vinculo: coordinated data against trafficking in persons."""

__version__ = "0.1.0"
