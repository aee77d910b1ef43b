using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Evaluation;

/// <summary>The agents the harness knows by name: the teacher with the experts, and without them (the ablation). The student joins next.</summary>
public static class AgentCatalog
{
    public const string Teacher = "teacher";
    public const string TeacherNoExpert = "teacher-no-expert";

    public static IReadOnlyList<string> Names { get; } = [Teacher, TeacherNoExpert];

    /// <summary>Whether the agent calls the experts (so the run needs an expert host).</summary>
    public static bool NeedsExperts(string name) => name == Teacher;

    /// <summary>Checks a name; an unknown one throws ArgumentException listing the valid ones.</summary>
    public static string Check(string name) => Names.Contains(name)
        ? name
        : throw new ArgumentException($"unknown agent '{name}'. Agents: {string.Join(", ", Names)}.");

    /// <summary>
    /// The agent as the harness runs it (a fresh instance per episode). <paramref name="experts"/> is
    /// required for agents that <see cref="NeedsExperts"/>; the others never get it.
    /// </summary>
    public static AgentEntry Create(string name, ExpertClients? experts, TeacherAgentOptions? options = null)
    {
        TeacherAgentOptions teacher = (options ?? new TeacherAgentOptions()).Validated();
        return Check(name) switch
        {
            Teacher => new AgentEntry(Teacher, () => new TeacherAgent(teacher,
                experts ?? throw new InvalidOperationException("The teacher needs the experts: open an ExpertConnection first."))),
            _ => new AgentEntry(TeacherNoExpert, () => new TeacherAgent(teacher, experts: null)),
        };
    }
}
