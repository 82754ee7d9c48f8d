rule effects:
    input:
        "results/validated/{analysis}.csv",
    output:
        "results/effects/{analysis}.csv",
    log:
        "logs/effects/{analysis}.log",
    params:
        engine=ENGINE["effects"],
        settings=analysis_settings,
    run:
        job.effects(input, output, params, wildcards, log)
