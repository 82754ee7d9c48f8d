rule plots:
    input:
        sheet="results/validated/{analysis}.csv",
        effects="results/effects/{analysis}.csv",
        pooled="results/analyses/{analysis}/pooled.json",
    output:
        forest=report(
            "results/analyses/{analysis}/forest.svg",
            caption="../report/forest.rst",
            category="Forest plots",
            subcategory="{analysis}",
        ),
        funnel=report(
            "results/analyses/{analysis}/funnel.svg",
            caption="../report/funnel.rst",
            category="Funnel plots",
            subcategory="{analysis}",
        ),
    log:
        "logs/plots/{analysis}.log",
    params:
        engine=ENGINE["plots"],
        settings=analysis_settings,
    run:
        job.plots(input, output, params, wildcards, log)
