rule pool:
    input:
        sheet="results/validated/{analysis}.csv",
        effects="results/effects/{analysis}.csv",
    output:
        pooled="results/analyses/{analysis}/pooled.json",
        bias="results/analyses/{analysis}/bias.json",
        subgroups="results/analyses/{analysis}/subgroups.json",
        leave1out=report(
            "results/analyses/{analysis}/leave1out.csv",
            caption="../report/leave1out.rst",
            category="Sensitivity",
            subcategory="{analysis}",
        ),
        cumulative="results/analyses/{analysis}/cumulative.csv",
    log:
        "logs/pool/{analysis}.log",
    params:
        engine=ENGINE["pool"],
        settings=analysis_settings,
    run:
        job.pool(input, output, params, wildcards, log)
