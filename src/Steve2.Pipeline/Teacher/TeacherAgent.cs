using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Experts;

namespace Steve2.Pipeline.Teacher;

/// <summary>The hierarchical teacher. With experts it is "teacher"; without (the ablation) "teacher-no-expert". (Skeleton.)</summary>
public sealed class TeacherAgent(TeacherAgentOptions options, ExpertClients? experts) : IAgent
{
    public string Name => experts is null ? "teacher-no-expert" : "teacher";
    public TeacherAgentOptions Options => options;

    public Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The teacher lands with the teacher branch.");
}

/// <summary>The teacher's settings (role backends and their endpoints). (Skeleton.)</summary>
public sealed record TeacherAgentOptions;
