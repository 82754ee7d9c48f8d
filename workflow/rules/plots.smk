rule plots:
    input:
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
    conda:
        "../envs/rlsevidence.yaml"
    params:
        engine=ENGINE["plots"],
        measure=measure_of,
        title=title_of,
    script:
        "../scripts/plots.py"
