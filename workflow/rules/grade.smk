rule grade:
    input:
        sheet="results/validated/{analysis}.csv",
        effects="results/effects/{analysis}.csv",
        pooled="results/analyses/{analysis}/pooled.json",
        bias="results/analyses/{analysis}/bias.json",
        published=config["published"],
    output:
        "results/analyses/{analysis}/grade.json",
    log:
        "logs/grade/{analysis}.log",
    params:
        engine=ENGINE["grade"],
        settings=analysis_settings,
        thresholds=config["grade"],
    run:
        job.grade(input, output, params, wildcards, log)
