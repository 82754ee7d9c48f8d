rule validate_registry:
    input:
        **REGISTRY_FILES,
    output:
        "results/validated/registry.json",
    log:
        "logs/validate/registry.log",
    conda:
        "../envs/rlsevidence.yaml"
    params:
        analyses=ANALYSES,
    script:
        "../scripts/validate_registry.py"


rule validate_sheet:
    input:
        sheet=sheet_path,
        sources=config["sources"],
        excerpts=config["excerpts"],
        package=config["datapackage"],
    output:
        "results/validated/{analysis}.csv",
    log:
        "logs/validate/{analysis}.log",
    conda:
        "../envs/rlsevidence.yaml"
    params:
        measure=measure_of,
        subgroup=subgroup_of,
    script:
        "../scripts/validate_sheet.py"
