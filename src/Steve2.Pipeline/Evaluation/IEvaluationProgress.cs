namespace Steve2.Pipeline.Evaluation;

/// <summary>Told about the harness's progress; called from several threads at once.</summary>
public interface IEvaluationProgress
{
    void Planned(IReadOnlyList<EpisodeJob> jobs);

    void Finished(EpisodeJob job, EpisodeOutcome outcome);
}
