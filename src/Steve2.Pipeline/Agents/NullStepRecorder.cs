namespace Steve2.Pipeline.Agents;

/// <summary>A recorder that keeps nothing (evaluation without <c>--record</c>).</summary>
public sealed class NullStepRecorder : IStepRecorder
{
    public static readonly NullStepRecorder Instance = new();
    public void Record(StepRecord step) { }
}
