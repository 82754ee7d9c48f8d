"""rls-evidence: reproducible meta-analysis, certainty grading and claim verdicts.

The statistics live here, importable without Snakemake:

>>> from rlsevidence.effects import escalc
>>> from rlsevidence.pooling import rma
"""

__version__ = "0.1.0"
