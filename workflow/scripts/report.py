"""The self-contained HTML report (rule report)."""

from rlsevidence.jobs.io import snakemake_step
from rlsevidence.report import build_report

meta = snakemake.params.meta
with snakemake_step(snakemake.log[0]):
    build_report(
        claims_json=snakemake.input.claims,
        analyses={
            analysis: {
                "pooled": f"results/analyses/{analysis}/pooled.json",
                "grade": f"results/analyses/{analysis}/grade.json",
                "bias": f"results/analyses/{analysis}/bias.json",
                "forest": f"results/analyses/{analysis}/forest.svg",
                "funnel": f"results/analyses/{analysis}/funnel.svg",
                "sheet": f"results/validated/{analysis}.csv",
                "effects": f"results/effects/{analysis}.csv",
                "leave1out": f"results/analyses/{analysis}/leave1out.csv",
                "meta": meta[analysis],
            }
            for analysis in snakemake.params.analyses
        },
        sources=snakemake.input.sources,
        published=snakemake.input.published,
        not_found=snakemake.input.not_found,
        reproductions=list(snakemake.input.reproductions),
        jsonld=snakemake.input.jsonld,
        article=snakemake.input.article,
        config=snakemake.params.config,
        output=snakemake.output[0],
    )
