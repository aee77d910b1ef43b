using System.Collections.Concurrent;
using Steve2.Pipeline.Agents;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>Keeps every recorded step for assertions.</summary>
internal sealed class ListRecorder : IStepRecorder
{
    public ConcurrentQueue<StepRecord> Steps { get; } = new();

    public void Record(StepRecord step) => Steps.Enqueue(step);
}
