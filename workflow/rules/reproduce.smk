rule reproduce:
    input:
        pooled="results/analyses/{analysis}/pooled.json",
        leave1out="results/analyses/{analysis}/leave1out.csv",
        sheet="results/validated/{analysis}.csv",
        published=config["published"],
        ours_pooled=updated_pooled,
        ours_effects=updated_effects,
        ours_sheet=updated_sheet,
    output:
        "results/analyses/{analysis}/reproduction.json",
    log:
        "logs/reproduce/{analysis}.log",
    params:
        engine=ENGINE["reproduce"],
        reproduces=reproduces_of,
    run:
        job.reproduce(input, output, params, wildcards, log)
