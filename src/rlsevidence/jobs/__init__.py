"""One function per workflow step: paths in, paths out, no domain decision inside.

Each rule's ``run:`` block calls one of these through ``jobs.rule_jobs`` (one function per
rule, in a thread of the Snakemake process); the CLI and the tests call them directly. A step
writes its outputs only after every check has passed, so a failing step leaves no partial
output behind. The statistics and decisions live in the domain modules
(``effects``, ``pooling``, ``grade``, ``assess`` ...); a job only reads, calls and writes.

| step | module | function |
| --- | --- | --- |
| validate | ``jobs.registry``, ``jobs.validate`` | ``validate_registry``, ``validate_sheet`` |
| effects | ``jobs.effects`` | ``compute_effects`` |
| pool | ``jobs.pool`` | ``pool_analysis`` |
| plots | ``jobs.plots`` | ``make_plots`` |
| grade | ``jobs.grade`` | ``grade_analysis`` |
| reproduce | ``jobs.reproduce`` | ``reproduce_analysis`` |
| claims | ``jobs.claims`` | ``judge_claims`` |
| report | ``report`` | ``build_report`` |
"""
