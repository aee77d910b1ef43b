namespace Steve2.Pipeline.Agents;

/// <summary>
/// Records what an agent decided at each step (the distillation's input). Implemented by the trajectory
/// writer; <see cref="NullStepRecorder"/> records nothing.
/// </summary>
public interface IStepRecorder
{
    void Record(StepRecord step);
}
